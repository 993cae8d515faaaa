/* The editor's set-up (/admin/): loaded before Decap CMS, which it starts by hand once the
 * site's own parts are registered:
 *   - the formats `ssp-yaml` and `ssp-frontmatter` (ssp-format.js): a save changes only the
 *     entry it touches;
 *   - the widget `ssp-time`: a time as text, refused when it ends before it starts, in the
 *     words `make validate` uses;
 *   - the widget `ssp-records`: a data file's list of records (courses, reviews ...), whose
 *     items' fields are made only once opened;
 *   - plainer English for a few of Decap's messages.
 * The configuration is admin/config.yml, made at each build from the schemas
 * (macros/outputs/cms.py). No inline script: the page's policy refuses them.
 */
(function () {
  'use strict';

  window.CMS_MANUAL_INIT = true;

  var MESSAGES = {
    // In words, not '＋' (missing from some fonts), and named as it reads (WCAG 2.5.3).
    'collection.collectionTop.newButton': 'New %{collectionLabel}',
    'collection.collectionTop.newButtonAriaLabel': 'New %{collectionLabel}',
    'editor.editorControlPane.widget.regexPattern': '%{fieldLabel}: %{pattern}',
    'editor.editorControlPane.widget.required': '%{fieldLabel} is needed.',
    'ui.toast.missingRequiredField':
      'Nothing was saved: a field needs correcting. Its message, in red, says what to write.',
  };

  function setPath(obj, path, value) {
    var keys = path.split('.'), last = keys.pop();
    keys.forEach(function (k) { obj = obj[k] = Object.assign({}, obj[k]); });
    obj[last] = value;
  }

  function plainLocale(CMS) {
    var en = JSON.parse(JSON.stringify(CMS.getLocale('en') || {}));
    Object.keys(MESSAGES).forEach(function (path) { setPath(en, path, MESSAGES[path]); });
    CMS.registerLocale('en', en);
  }

  // Whether a session (a group with this time) runs over several days: then its end may be
  // before its start (the end is on the last day).
  function severalDays(data, time) {
    if (Array.isArray(data)) return data.some(function (x) { return severalDays(x, time); });
    if (!data || typeof data !== 'object') return false;
    if (data.time === time && data.end_date) return true;
    return Object.keys(data).some(function (k) { return severalDays(data[k], time); });
  }

  function timeWidget(CMS) {
    var StringControl = CMS.getWidget('string').control;
    var TimeControl = window.createClass({
      isValid: function () {
        var value = (this.props.value || '').trim();
        var m = /^(\d\d):(\d\d)-(\d\d):(\d\d)$/.exec(value);
        if (!m) return true; // the pattern (from the schema) says how to write it
        var start = m[1] * 60 + +m[2], end = m[3] * 60 + +m[4];
        if (end > start) return true;
        var entry = this.props.entry && this.props.entry.get('data');
        if (entry && severalDays(entry.toJS(), this.props.value)) return true;
        var how = end === start ? 'when' : 'before';
        // Decap says "Nothing was saved" only for errors of its PRESENCE type: this one is
        // given that type so that the notice appears too.
        return { error: { type: 'PRESENCE', message: this.props.field.get('label') + ": '" + value +
          "' ends " + how + ' it starts (for a session that runs past midnight, give its last day ' +
          'in end_date:)' } };
      },
      render: function () { return window.h(StringControl, this.props); },
    });
    CMS.registerWidget('ssp-time', TimeControl, CMS.getWidget('string').preview);
  }

  // Decap's list makes every item's fields, hidden while the item is closed, and redraws all of
  // them at each keystroke (decap-cms#3415): 0.5 s a keystroke with 37 courses. A data file's
  // list of records makes an item's fields once the item is opened, and keeps them from then on
  // (so that Decap checks them when saving); an item never opened is shown by its name only,
  // and saved as the file had it.
  function recordsWidget(CMS) {
    var List = CMS.getWidget('list');
    class RecordsControl extends List.control {
      constructor(props) {
        super(props);
        var whole = this.renderItem, opened = new Set();
        this.renderItem = function (item, index) {
          var element = whole(item, index), key = this.state.keys[index];
          if (!this.state.itemsCollapsed[index]) opened.add(key);
          if (opened.has(key)) return element;
          var parts = element.props.children; // [top bar, name, fields]
          return window.h(element.type, Object.assign({}, element.props,
            { key: element.key, children: parts.slice(0, parts.length - 1) }));
        }.bind(this);
      }
    }
    CMS.registerWidget('ssp-records', RecordsControl, List.preview);
  }

  // Decap's list items have icon-only buttons without a name (axe: button-name,
  // aria-command-name): name them as they are drawn (only what was added is looked at: a
  // keystroke in a long list must stay cheap).
  var MOVE = 'Move this item: drag it, or press the space bar, then the arrow keys';
  var SORTABLE = '[aria-roledescription="sortable"][role="button"]:not([aria-label])';
  var ICON = '[class*="TopBar"] > button:not([aria-label])';

  function nameButtons(root) {
    var handles = Array.prototype.slice.call(root.querySelectorAll(SORTABLE));
    if (root.matches(SORTABLE)) handles.push(root);
    handles.forEach(function (el) { // a chosen topic is sortable too, and named by its text
      if (!el.textContent.trim()) el.setAttribute('aria-label', MOVE);
    });
    var icons = Array.prototype.slice.call(root.querySelectorAll(ICON));
    if (root.matches(ICON)) icons.push(root);
    icons.forEach(function (b) {
      if (b.textContent.trim()) return;
      var all = b.parentElement.querySelectorAll(':scope > button');
      b.setAttribute('aria-label', all.length > 1 && b === all[all.length - 1] ? 'Remove this item'
        : 'Show or hide this item\'s fields');
    });
  }

  function watchButtons() {
    new MutationObserver(function (changes) {
      changes.forEach(function (change) {
        change.addedNodes.forEach(function (node) { if (node.nodeType === 1) nameButtons(node); });
      });
    }).observe(document.body, { childList: true, subtree: true });
  }

  function start() {
    watchButtons();
    var CMS = window.CMS, Format = window.SspFormat;
    fetch('config.yml', { cache: 'no-cache' }).then(function (r) {
      if (!r.ok) throw new Error('config.yml: ' + r.status);
      return r.text();
    }).then(function (text) {
      var config = Format.parse(text);
      var trees = Format.trees(config);
      CMS.registerCustomFormat('ssp-yaml', 'yaml', Format.yamlFormat(trees.data));
      CMS.registerCustomFormat('ssp-frontmatter', 'md', Format.frontMatterFormat(trees.front));
      timeWidget(CMS);
      recordsWidget(CMS);
      plainLocale(CMS);
      config.load_config_file = false;
      CMS.init({ config: config });
    }).catch(function (err) {
      document.body.textContent = 'The editor could not start (' + err.message + '). ' +
        'Reload the page; if it happens again, tell the site\'s developers.';
    });
  }

  document.addEventListener('DOMContentLoaded', start);
})();
