/* Material's inline base script (partials/javascripts/base.html), as a file so that the
   Content-Security-Policy allows no inline script. The scope comes from data-md-scope. */
(function () {
  var scope = document.currentScript.getAttribute("data-md-scope");
  window.__md_scope = new URL(scope, location);
  window.__md_hash = function (e) {
    return Array.from(e).reduce(function (h, c) { return (h << 5) - h + c.charCodeAt(0); }, 0);
  };
  window.__md_get = function (e, store, where) {
    store = store || localStorage; where = where || window.__md_scope;
    return JSON.parse(store.getItem(where.pathname + "." + e));
  };
  window.__md_set = function (e, value, store, where) {
    store = store || localStorage; where = where || window.__md_scope;
    try { store.setItem(where.pathname + "." + e, JSON.stringify(value)); } catch (err) { /* full or off */ }
  };
})();
