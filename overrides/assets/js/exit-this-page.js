/*
 * Exit this page: the GOV.UK Design System component and "Exit a page quickly" pattern.
 *
 * - The button (and the skip link that is the first focusable element) leaves the site.
 * - Pressing Shift three times, with at most 5 seconds between presses, does the same;
 *   any other key resets the count. Progress shows as three dots and is announced.
 * - While leaving, the page is covered by a blank overlay saying "Loading.".
 * - One step further than GOV.UK: we leave with location.replace(), so this page is
 *   not left in the tab's history and Back does not return to it.
 * Without JavaScript the button and skip link are plain links to the same place.
 */
(function () {
  "use strict";

  var TIMEOUT_MS = 5000;
  var PRESSES = 3;

  function init() {
    var root = document.querySelector("[data-app-exit-this-page]");
    if (!root || root.getAttribute("data-app-exit-ready")) return;
    root.setAttribute("data-app-exit-ready", "true");

    var button = root.querySelector(".app-exit-this-page__button");
    var url = button.getAttribute("href");
    var indicator = root.querySelector(".app-exit-this-page__indicator");
    var lights = indicator.querySelectorAll(".app-exit-this-page__light");
    var status = root.querySelector(".app-exit-this-page__status");
    var presses = 0;
    var timer = null;
    var leaving = false;

    function announce(text) {
      status.textContent = text;
    }

    function showProgress() {
      indicator.hidden = presses === 0;
      for (var i = 0; i < lights.length; i++) {
        lights[i].classList.toggle("app-exit-this-page__light--on", i < presses);
      }
    }

    function reset(message) {
      presses = 0;
      if (timer) window.clearTimeout(timer);
      timer = null;
      showProgress();
      if (message) announce(message);
    }

    function leave(event) {
      if (event) event.preventDefault();
      if (leaving) return;
      leaving = true;
      var overlay = document.createElement("div");
      overlay.className = "app-exit-this-page-overlay";
      overlay.setAttribute("role", "alert");
      overlay.textContent = "Loading.";
      document.body.appendChild(overlay);
      document.documentElement.classList.add("app-exiting");
      announce("Exit this page activated.");
      button.textContent = "Loading.";
      window.location.replace(url);
    }

    button.addEventListener("click", leave);
    var links = document.querySelectorAll("[data-app-exit-link]");
    for (var i = 0; i < links.length; i++) links[i].addEventListener("click", leave);

    document.addEventListener("keyup", function (event) {
      var isShift = event.key === "Shift" || event.keyCode === 16 || event.which === 16;
      if (!isShift) {
        if (presses > 0) reset();
        return;
      }
      presses += 1;
      showProgress();
      if (timer) window.clearTimeout(timer);
      if (presses >= PRESSES) {
        presses = 0;
        leave();
        return;
      }
      var left = PRESSES - presses;
      announce("Shift, press " + left + " more " + (left === 1 ? "time" : "times") + " to exit.");
      timer = window.setTimeout(function () {
        reset("Exit this page expired.");
      }, TIMEOUT_MS);
    }, true);

    // A page restored from the back-forward cache must not stay blanked out.
    window.addEventListener("pageshow", function (event) {
      if (!event.persisted) return;
      leaving = false;
      var overlay = document.querySelector(".app-exit-this-page-overlay");
      if (overlay) overlay.remove();
      document.documentElement.classList.remove("app-exiting");
      button.innerHTML = '<span class="app-visually-hidden">Emergency</span> Exit this page';
      reset();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
