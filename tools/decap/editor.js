/* The editor's Decap CMS (overrides/admin/vendor/decap/decap-cms.js), built by
 * scripts/vendor_cms.py: Decap's own parts, as decap-cms-app registers them, but only the
 * backends and widgets the site's editor uses. Decap's full build (the npm package decap-cms)
 * is 5.2 MB, most of it for what the site never shows (maps, code and rich-text editors, other
 * hosts' backends, 40 languages); this one is 2.2 MB, and a first visit to /admin/ is usable
 * in about half the time (README, "Editing through forms").
 *
 * A widget or backend named in admin/config.yml (macros/outputs/cms.py) must be registered
 * here or by overrides/admin/ssp-cms.js: tests/cms/test_cms_config.py checks it.
 * The globals are those of Decap's full build, which ssp-cms.js uses: CMS, createClass, h.
 */
import createReactClass from 'create-react-class';
import { createElement } from 'react';
import { DecapCmsCore as CMS } from 'decap-cms-core';
import { GitHubBackend } from 'decap-cms-backend-github';
import { ProxyBackend } from 'decap-cms-backend-proxy';
import DecapCmsWidgetBoolean from 'decap-cms-widget-boolean';
import DecapCmsWidgetDatetime from 'decap-cms-widget-datetime';
import DecapCmsWidgetList from 'decap-cms-widget-list';
import DecapCmsWidgetNumber from 'decap-cms-widget-number';
import DecapCmsWidgetObject from 'decap-cms-widget-object';
import DecapCmsWidgetRelation from 'decap-cms-widget-relation';
import DecapCmsWidgetSelect from 'decap-cms-widget-select';
import DecapCmsWidgetString from 'decap-cms-widget-string';
import DecapCmsWidgetText from 'decap-cms-widget-text';
import { en } from 'decap-cms-locales';

// In production the editor signs in to GitHub; `make edit` uses decap-server ('proxy').
CMS.registerBackend('github', GitHubBackend);
CMS.registerBackend('proxy', ProxyBackend);
CMS.registerWidget([
  DecapCmsWidgetBoolean.Widget(),
  DecapCmsWidgetDatetime.Widget(),
  DecapCmsWidgetList.Widget(),
  DecapCmsWidgetNumber.Widget(),
  DecapCmsWidgetObject.Widget(),
  DecapCmsWidgetRelation.Widget(),
  DecapCmsWidgetSelect.Widget(),
  DecapCmsWidgetString.Widget(),
  DecapCmsWidgetText.Widget(),
]);
CMS.registerLocale('en', en);

if (!window.CMS_MANUAL_INIT) {
  CMS.init();
}
window.CMS = CMS;
window.initCMS = CMS.init;
window.createClass = window.createClass || createReactClass;
window.h = window.h || createElement;
