/*
 * The training calendar, in the reader's browser.
 *
 * 1. Expiry: a session whose end is at or before "now" is hidden, and a course with no
 *    session left (or whose available_until date has passed, or which nobody has confirmed
 *    within 12 months: data-confirmed-until) is hidden: the same rule as the build
 *    (macros/core/dates.py), so a course that ended after the last build is not shown.
 *    "Now" is the reader's clock, or the build's SITE_TODAY when the page was built with one.
 * 2. Search (lunr.js, index built at build time) and filters (audience, format, topic,
 *    provider), combined; counts per option; the result count announced to screen readers;
 *    the state kept in the address so a filtered list can be shared.
 * Without JavaScript the page shows the full list.
 */
(function () {
  "use strict";

  function londonToday(now) {
    // YYYY-MM-DD of `now` in Europe/London.
    return new Intl.DateTimeFormat("en-CA", {
      timeZone: "Europe/London", year: "numeric", month: "2-digit", day: "2-digit"
    }).format(now);
  }

  function words(text) {
    return text.toLowerCase().replace(/[^\p{L}\p{N}\s'-]+/gu, " ").split(/\s+/).filter(Boolean);
  }

  function init() {
    var root = document.querySelector(".app-training");
    if (!root || root.getAttribute("data-ready")) return;
    root.setAttribute("data-ready", "true");
    var fixed = root.getAttribute("data-now-fixed") === "true";
    var now = fixed ? new Date(root.getAttribute("data-now")) : new Date();
    var today = londonToday(now);

    // --- expiry ---------------------------------------------------------------------------
    var courses = [];
    var items = root.querySelectorAll(".app-course");
    for (var i = 0; i < items.length; i++) {
      var el = items[i];
      var sessions = el.querySelectorAll(".app-session");
      var left = 0;
      for (var j = 0; j < sessions.length; j++) {
        if (Date.parse(sessions[j].getAttribute("data-end")) <= now.getTime()) {
          sessions[j].hidden = true;
        } else {
          left += 1;
        }
      }
      var until = el.getAttribute("data-available-until");
      var confirmed = el.getAttribute("data-confirmed-until");
      var expired = (sessions.length > 0 && left === 0) || (until && until < today) ||
        (confirmed && confirmed < today);
      if (expired) el.hidden = true;
      courses.push({
        el: el,
        id: el.getAttribute("data-id"),
        expired: !!expired,
        shown: !expired,
        text: el.querySelector(".app-course__title").textContent + " " +
          (el.querySelector(".app-course__facts") || el).textContent,
        facets: {
          audience: (el.getAttribute("data-audience") || "").split(" "),
          format: [el.getAttribute("data-format")],
          topics: (el.getAttribute("data-topics") || "").split(" "),
          provider: [el.getAttribute("data-provider")]
        }
      });
    }

    var form = root.querySelector(".app-training__filters");
    var input = root.querySelector("#training-search");
    var status = root.querySelector(".app-training__count");
    var empty = root.querySelector(".app-training__empty");
    var sections = root.querySelectorAll(".app-month");
    var boxes = form.querySelectorAll(".app-filter__input");
    var countEls = {};
    var all = form.querySelectorAll("[data-count-for]");
    for (i = 0; i < all.length; i++) countEls[all[i].getAttribute("data-count-for")] = all[i];
    var live = courses.filter(function (c) { return !c.expired; });

    // --- search ---------------------------------------------------------------------------
    var index = null;
    var indexUrl = root.getAttribute("data-index");
    if (indexUrl && window.lunr && window.fetch) {
      fetch(indexUrl).then(function (r) { return r.json(); }).then(function (data) {
        index = window.lunr.Index.load(data);
        if (input.value.trim()) update();
      }).catch(function () { index = null; });
    }

    function searchIds(query) {
      // Words of one letter and common words ("the", "in") are not indexed: skip them.
      var terms = words(query).filter(function (t) {
        return t.length > 1 && (!window.lunr || window.lunr.stopWordFilter(t) !== undefined);
      });
      if (!terms.length) return null;
      var result = null;
      terms.forEach(function (term) {
        var found = {};
        if (index) {
          // Every word matches as a prefix ("coun" finds "county"), all words must match.
          var hits = index.query(function (q) {
            q.term(term, { usePipeline: false, wildcard: window.lunr.Query.wildcard.TRAILING });
          });
          hits.forEach(function (h) { found[h.ref] = true; });
        } else {
          live.forEach(function (c) {
            if (c.text.toLowerCase().indexOf(term) !== -1) found[c.id] = true;
          });
        }
        if (result === null) {
          result = found;
        } else {
          var both = {};
          Object.keys(found).forEach(function (k) { if (result[k]) both[k] = true; });
          result = both;
        }
      });
      return result;
    }

    function chosen() {
      var sel = { audience: [], format: [], topics: [], provider: [] };
      for (var k = 0; k < boxes.length; k++) {
        if (boxes[k].checked) sel[boxes[k].name].push(boxes[k].value);
      }
      return sel;
    }

    function matchesFacet(course, name, values) {
      if (!values.length) return true;
      for (var k = 0; k < values.length; k++) {
        if (course.facets[name].indexOf(values[k]) !== -1) return true;
      }
      return false;
    }

    var announceTimer = null;
    function announce(text) {
      if (announceTimer) window.clearTimeout(announceTimer);
      announceTimer = window.setTimeout(function () { status.textContent = text; }, 300);
    }

    function update() {
      var sel = chosen();
      var ids = searchIds(input.value);
      var names = ["audience", "format", "topics", "provider"];
      var shown = 0;
      var counts = {};
      live.forEach(function (c) {
        var inSearch = ids === null || ids[c.id] === true;
        var ok = {};
        names.forEach(function (n) { ok[n] = matchesFacet(c, n, sel[n]); });
        var match = inSearch && ok.audience && ok.format && ok.topics && ok.provider;
        if (match !== c.shown) { c.el.hidden = !match; c.shown = match; }
        if (match) shown += 1;
        if (!inSearch) return;
        // An option's count: courses it would show, given the search and the other filters.
        names.forEach(function (n) {
          for (var m = 0; m < names.length; m++) {
            if (names[m] !== n && !ok[names[m]]) return;
          }
          c.facets[n].forEach(function (v) {
            var key = n + ":" + v;
            counts[key] = (counts[key] || 0) + 1;
          });
        });
      });
      Object.keys(countEls).forEach(function (key) {
        var text = "(" + (counts[key] || 0) + ")";
        if (countEls[key].textContent !== text) countEls[key].textContent = text;
      });
      for (var s = 0; s < sections.length; s++) {
        sections[s].hidden = !sections[s].querySelector(".app-course:not([hidden])");
      }
      empty.hidden = shown > 0;
      var filtered = ids !== null || names.some(function (n) { return sel[n].length; });
      announce(filtered
        ? shown + (shown === 1 ? " course matches" : " courses match") + " (of " + live.length + ")"
        : live.length + (live.length === 1 ? " course" : " courses"));
      remember(sel);
    }

    function remember(sel) {
      if (!window.history.replaceState) return;
      var params = new URLSearchParams();
      if (input.value.trim()) params.set("search", input.value.trim());  // not "q": Material opens its site search for ?q=
      Object.keys(sel).forEach(function (n) { if (sel[n].length) params.set(n, sel[n].join(",")); });
      var query = params.toString();
      var url = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
      window.history.replaceState(null, "", url);
    }

    function restore() {
      var params = new URLSearchParams(window.location.search);
      input.value = params.get("search") || "";
      for (var k = 0; k < boxes.length; k++) {
        var wanted = (params.get(boxes[k].name) || "").split(",");
        boxes[k].checked = wanted.indexOf(boxes[k].value) !== -1;
      }
    }

    form.hidden = false;
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    input.addEventListener("input", update);
    form.addEventListener("change", update);
    form.addEventListener("reset", function () { window.setTimeout(update, 0); });
    restore();
    update();
    status.textContent = status.textContent; // initial count without waiting
    var subscribe = document.querySelector("[data-app-subscribe]");
    if (subscribe) {
      var ics = new URL(subscribe.getAttribute("href"), window.location.href);
      subscribe.textContent = ics.href;
      var webcal = document.querySelector("[data-app-webcal]");
      if (webcal) webcal.setAttribute("href", ics.href.replace(/^https?:/, "webcal:"));
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
