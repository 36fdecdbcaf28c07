// Times are rendered in UTC ("2026-12-02 16:35 UTC") so a page reads the same for everyone and
// without scripts; a moderator in New York works in New York's time. Each <time datetime> whose
// text holds such a time shows it in the browser's own zone instead ("2026-12-02 11:35 EST"),
// with the UTC time kept in its tooltip. One that says how long ago ("reported 14 min ago") keeps
// its time in its tooltip alone, and shows it there in the browser's zone: it had said UTC to a
// moderator in New York where every other time on the page said EST (a tester's).
(function () {
  "use strict";
  var UTC_TEXT = /\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})? UTC/;
  var format;
  try {
    format = new Intl.DateTimeFormat("en-US", {
      year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit",
      hourCycle: "h23", timeZoneName: "short"
    });
  } catch (e) {
    return;  // an old browser keeps UTC
  }

  // To the second where the UTC text has seconds (the audit log).
  function local(date, seconds) {
    var part = {};
    format.formatToParts(date).forEach(function (p) { part[p.type] = p.value; });
    var second = seconds ? ":" + ("0" + date.getSeconds()).slice(-2) : "";
    return part.year + "-" + part.month + "-" + part.day + " " + part.hour + ":" + part.minute + second + " " + part.timeZoneName;
  }

  function show(root) {
    (root || document).querySelectorAll("time[datetime]:not([data-local])").forEach(function (element) {
      var text = element.textContent;
      var found = text.match(UTC_TEXT);
      var tip = found ? null : (element.getAttribute("title") || "").match(UTC_TEXT);
      var date = new Date(element.getAttribute("datetime"));
      if (!(found || tip) || isNaN(date.getTime())) return;
      var mine = local(date, Boolean((found || tip)[1]));
      element.setAttribute("data-local", "");
      if (/ (UTC|GMT)$/.test(mine)) return;  // already the zone shown
      if (tip) {
        element.title = element.title.replace(tip[0], mine);
        return;
      }
      element.textContent = text.replace(found[0], mine);
      element.title = found[0];
    });
  }

  // The queue's "Received from/to" are days of the moderator's zone, as the cards show them: the
  // filter form says which zone (domain/queue_filters.py reads it; without it, UTC days).
  function zone() {
    var name = "";
    try { name = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { /* UTC days */ }
    document.querySelectorAll("input[data-local-zone]").forEach(function (input) { if (!input.value) input.value = name; });
    // Links to pages that read days (the author's file) carry the zone too: its first load had been
    // of UTC days until its own form was used (a re-check).
    if (name) {
      document.querySelectorAll("a[data-local-zone]").forEach(function (link) {
        var url = new URL(link.href, window.location.href);
        if (!url.searchParams.get("tz")) { url.searchParams.set("tz", name); link.href = url.pathname + url.search + url.hash; }
      });
    }
  }

  document.addEventListener("DOMContentLoaded", function () { show(document); zone(); });
  // Parts of a page added later (the training page's polling) call this on what they add.
  window.showLocalTimes = show;
})();
