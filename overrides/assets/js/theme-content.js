/* Material's inline content script (partials/javascripts/content.html), as a file: opens the
   content tab a link's #hash points to. */
(function () {
  var target = document.getElementById(location.hash.slice(1));
  if (target && target.name) target.checked = target.name.startsWith("__tabbed_");
})();
