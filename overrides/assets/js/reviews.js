/* The case review library: filters, text search, a live count and the state in the URL.
   Without this script the whole list is shown and the filters stay hidden. */
(function () {
  "use strict";

  function setup() {
    var root = document.querySelector(".app-reviews");
    if (!root || root.dataset.ready) return;
    root.dataset.ready = "1";
    var form = root.querySelector(".app-reviews__filters");
    var items = Array.prototype.slice.call(root.querySelectorAll(".app-review-card"));
    var count = root.querySelector(".app-reviews__count");
    var none = root.querySelector(".app-reviews__none");
    var search = form.querySelector("input[type=search]");
    var facets = ["kind", "wing", "status", "theme", "year"];

    function checked(name) {
      return Array.prototype.map.call(
        form.querySelectorAll("input[name=" + name + "]:checked"), function (i) { return i.value; });
    }

    function update(write) {
      var chosen = {};
      facets.forEach(function (f) { chosen[f] = checked(f); });
      var words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      items.forEach(function (item) {
        var ok = facets.every(function (f) {
          if (!chosen[f].length) return true;
          var values = (item.getAttribute("data-" + f) || "").split(" ");
          return chosen[f].some(function (v) { return values.indexOf(v) !== -1; });
        }) && words.every(function (w) { return item.dataset.text.indexOf(w) !== -1; });
        item.hidden = !ok;
        if (ok) shown += 1;
      });
      var filtered = words.length || facets.some(function (f) { return chosen[f].length; });
      count.textContent = filtered
        ? shown + " of " + items.length + " reviews shown."
        : "Showing all " + items.length + " reviews.";
      none.hidden = shown !== 0;
      if (write) {
        var params = new URLSearchParams();
        if (search.value.trim()) params.set("search", search.value.trim());  // not "q": Material opens its site search for ?q=
        facets.forEach(function (f) { chosen[f].forEach(function (v) { params.append(f, v); }); });
        var query = params.toString();
        history.replaceState(history.state, "", location.pathname + (query ? "?" + query : "") + location.hash);
      }
    }

    var params = new URLSearchParams(location.search);
    search.value = params.get("search") || "";
    facets.forEach(function (f) {
      params.getAll(f).forEach(function (v) {
        var box = form.querySelector("input[name=" + f + "][value='" + CSS.escape(v) + "']");
        if (box) box.checked = true;
      });
    });
    form.hidden = false;
    form.addEventListener("submit", function (e) { e.preventDefault(); update(true); });
    form.addEventListener("change", function () { update(true); });
    search.addEventListener("input", function () { update(true); });
    form.addEventListener("reset", function () { setTimeout(function () { update(true); }, 0); });
    update(false);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setup);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
