/*
 * Wide tables scroll sideways on small screens (Material wraps them in
 * .md-typeset__scrollwrap). A scrolling region must be reachable by keyboard and named
 * for screen readers (WCAG 2.1.1), so each one that overflows gets tabindex and a label.
 */
(function () {
  "use strict";
  function label(wrap) {
    var table = wrap.querySelector("table");
    if (!table) return;
    var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
    if (scrolls) {
      var heading = table.querySelector("th");
      wrap.setAttribute("tabindex", "0");
      wrap.setAttribute("role", "region");
      wrap.setAttribute("aria-label", "Table" + (heading ? ": " + heading.textContent.trim() : "") +
        " (scroll sideways to see all of it)");
    } else {
      wrap.removeAttribute("tabindex");
      wrap.removeAttribute("role");
      wrap.removeAttribute("aria-label");
    }
  }
  function all() {
    var wraps = document.querySelectorAll(".md-typeset__scrollwrap");
    for (var i = 0; i < wraps.length; i++) label(wraps[i]);
  }
  if (document.readyState === "complete") all();
  else window.addEventListener("load", all);
  window.addEventListener("resize", all);
})();
