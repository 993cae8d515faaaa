/* What the site's build of Decap has in place of AJV, ajv-keywords and ajv-errors
 * (tools/decap/build.mjs): Decap's check of its configuration, which nothing else uses.
 *
 * AJV compiles its checks into code at run time (new Function), so with it the editor's page
 * needed 'unsafe-eval' in its Content-Security-Policy; without it the page runs no code made
 * from text, and a first visit is about 0.3 s quicker. Nothing is left unchecked that a person
 * could get wrong: admin/config.yml is made by macros/outputs/cms.py, never written by hand,
 * and tests/cms/ checks it against the schemas and drives its forms in Chromium.
 */
function Unchecked() {
  this.errors = null;
}
Unchecked.prototype.validate = function () {
  return true;
};

function keyword() {}

export default Unchecked; // ajv's AJV (with `new`); ajv-errors' plug-in (called): neither checks
export { keyword as select, keyword as uniqueItemProperties, keyword as instanceof, keyword as prohibited };
