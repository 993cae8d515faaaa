/*
 * The training calendar, in the reader's browser.
 *
 * 1. Expiry: a session whose end is at or before "now" is hidden, and a course with no
 *    session left (or whose available_until date has passed, or which nobody has confirmed
 *    within 12 months: data-confirmed-until) is hidden: the same rule as the build
 *    (macros/core/dates.py), so a course that ended after the last build is not shown.
 *    "Now" is the reader's clock, or the build's SITE_TODAY when the page was built with one.
 * 2. Search (lunr.js, index built at build time) and filters (audience, format, topic,
 *    provider), combined; counts per option, and how many are chosen in each filter's
 *    summary; the result count announced to screen readers; the state kept in the address
 *    so a filtered list can be shared (a filter holding a choice opens when it is restored).
 *    Fast on a low-end phone with 1,000 courses (make bench): words are matched through the
 *    index's token set and postings and remembered; courses off screen are not laid out (CSS).
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
    var upcoming = root.querySelector("#upcoming");
    var noneDated = root.querySelector(".app-training__none");
    var months = [];  // which of `sections` are months (not "dates to be confirmed", "any time")
    for (i = 0; i < sections.length; i++) {
      if (!/app-month--/.test(sections[i].className)) months.push(i);
    }
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

    // The courses each word finds, kept while the page is open: typing "county l" asks
    // again only for "l", and deleting a letter asks for nothing.
    var found = {};

    function coursesFor(term) {
      if (found[term]) return found[term];
      var hits = {};
      if (index) {
        // Every word matches as a prefix ("coun" finds "county"), in any field: the words of
        // the index that start with it (lunr's own token set), then the courses holding them
        // (its postings). The same courses as lunr's query with a trailing wildcard, without
        // the scoring and sorting that query does, which the calendar does not use.
        var tokens = index.tokenSet.intersect(window.lunr.TokenSet.fromString(term + "*")).toArray();
        for (var t = 0; t < tokens.length; t++) {
          var posting = index.invertedIndex[tokens[t]];
          for (var f = 0; f < index.fields.length; f++) {
            for (var ref in posting[index.fields[f]]) hits[ref] = true;
          }
        }
        found[term] = hits;
      } else {
        live.forEach(function (c) {
          if (c.text.toLowerCase().indexOf(term) !== -1) hits[c.id] = true;
        });
      }
      return hits;
    }

    function searchIds(query) {
      // Words of one letter and common words ("the", "in") are not indexed: skip them.
      var terms = words(query).filter(function (t) {
        return t.length > 1 && (!window.lunr || window.lunr.stopWordFilter(t) !== undefined);
      });
      if (!terms.length) return null;
      // All words must match: start from the word that finds the fewest courses.
      var sets = terms.map(coursesFor).sort(function (a, b) {
        return Object.keys(a).length - Object.keys(b).length;
      });
      var result = {};
      for (var k in sets[0]) {
        var all = true;
        for (var m = 1; m < sets.length && all; m++) all = sets[m][k] === true;
        if (all) result[k] = true;
      }
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

    var NAMES = ["audience", "format", "topics", "provider"];
    var sectionOf = [];  // each live course's month, by position in `live`
    var sectionShown = [];
    live.forEach(function (c, k) {
      var section = c.el.closest(".app-month");
      var at = Array.prototype.indexOf.call(sections, section);
      sectionOf[k] = at;
      c.keys = {};  // "format:online" and the like: the count each option of each filter adds to
      NAMES.forEach(function (n) {
        c.keys[n] = c.facets[n].map(function (v) { return n + ":" + v; });
      });
    });
    var chosenEls = {};
    var chosenAll = form.querySelectorAll("[data-chosen-for]");
    for (i = 0; i < chosenAll.length; i++) chosenEls[chosenAll[i].getAttribute("data-chosen-for")] = chosenAll[i];

    // The count is announced, and the address updated, once typing pauses: neither is needed
    // at each keystroke, and the address costs a phone a few milliseconds each time.
    var pauseTimer = null;
    function whenPaused(text, sel) {
      if (pauseTimer) window.clearTimeout(pauseTimer);
      pauseTimer = window.setTimeout(function () {
        status.textContent = text;
        remember(sel);
      }, 300);
    }

    function update() {
      var sel = chosen();
      var ids = searchIds(input.value);
      var shown = 0;
      var counts = {};
      var ok = [true, true, true, true];
      for (var s = 0; s < sections.length; s++) sectionShown[s] = 0;
      for (var k = 0; k < live.length; k++) {
        var c = live[k];
        var inSearch = ids === null || ids[c.id] === true;
        var failed = 0;  // how many filters this course fails
        for (var n = 0; n < 4; n++) {
          ok[n] = matchesFacet(c, NAMES[n], sel[NAMES[n]]);
          if (!ok[n]) failed += 1;
        }
        var match = inSearch && failed === 0;
        if (match !== c.shown) { c.el.hidden = !match; c.shown = match; }
        if (match) { shown += 1; sectionShown[sectionOf[k]] += 1; }
        if (!inSearch || failed > 1) continue;
        // An option's count: courses it would show, given the search and the other filters.
        for (n = 0; n < 4; n++) {
          if (failed === 1 && ok[n]) continue;  // fails another filter: not counted here
          var keys = c.keys[NAMES[n]];
          for (var v = 0; v < keys.length; v++) counts[keys[v]] = (counts[keys[v]] || 0) + 1;
        }
      }
      for (var key in countEls) {
        var text = "(" + (counts[key] || 0) + ")";
        if (countEls[key].textContent !== text) countEls[key].textContent = text;
      }
      for (s = 0; s < sections.length; s++) {
        var none = sectionShown[s] === 0;
        if (sections[s].hidden !== none) sections[s].hidden = none;
      }
      var filtered = ids !== null || NAMES.some(function (name) { return sel[name].length; });
      // No dated course shown: a search or filter hid them all (then "Upcoming courses" goes
      // too), or the reader's clock has passed them all (then it says there are none).
      var dated = months.some(function (m) { return sectionShown[m] > 0; });
      if (upcoming.hidden !== (!dated && filtered)) upcoming.hidden = !dated && filtered;
      if (noneDated.hidden !== (dated || filtered)) noneDated.hidden = dated || filtered;
      NAMES.forEach(function (name) {
        var number = sel[name].length;
        var label = number ? " (" + number + " chosen)" : "";
        if (chosenEls[name] && chosenEls[name].textContent !== label) chosenEls[name].textContent = label;
      });
      empty.hidden = shown > 0 || !filtered;  // "no match" only when a search or filter chose
      whenPaused(filtered
        ? shown + (shown === 1 ? " course matches" : " courses match") + " (of " + live.length + ")"
        : live.length + (live.length === 1 ? " course" : " courses"), sel);
    }

    function remember(sel) {
      if (!window.history.replaceState) return;
      var params = new URLSearchParams();
      if (input.value.trim()) params.set("search", input.value.trim());  // not "q": Material opens its site search for ?q=
      Object.keys(sel).forEach(function (n) { if (sel[n].length) params.set(n, sel[n].join(",")); });
      var query = params.toString();
      var url = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
      if (url !== window.location.pathname + window.location.search + window.location.hash) {
        window.history.replaceState(null, "", url);
      }
    }

    function restore() {
      var params = new URLSearchParams(window.location.search);
      input.value = params.get("search") || "";
      for (var k = 0; k < boxes.length; k++) {
        var wanted = (params.get(boxes[k].name) || "").split(",");
        boxes[k].checked = wanted.indexOf(boxes[k].value) !== -1;
        // A filter holding a choice is opened, so that the choice shows.
        if (boxes[k].checked) boxes[k].closest("details").open = true;
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
