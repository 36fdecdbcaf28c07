// How long ago a report came in (review/waits.py draws it), counted on while the page stays open: a
// queue left open for ten minutes said "reported 2 min ago" of a report twelve minutes old. The card's
// note that it passed the desk's window appears when it does. Minutes from the server's own clock at
// drawing, so a browser's wrong clock changes nothing.
(function () {
  "use strict";
  var list = document.querySelector("[data-loaded-at]");
  var drawn = list ? new Date(list.getAttribute("data-loaded-at")).getTime() : NaN;
  var opened = Date.now();

  function ago(minutes) {
    if (minutes < 1) return "just now";
    if (minutes < 120) return minutes + " min ago";
    if (minutes < 48 * 60) return Math.floor(minutes / 60) + " h " + (minutes % 60) + " min ago";
    return Math.floor(minutes / (24 * 60)) + " days ago";
  }

  function update() {
    var serverNow = drawn + (Date.now() - opened);
    document.querySelectorAll("time[data-ago]").forEach(function (element) {
      var minutes = Math.floor(Math.max(0, serverNow - new Date(element.getAttribute("datetime")).getTime()) / 60000);
      element.textContent = element.getAttribute("data-ago") + ago(minutes);
      var wait = element.closest(".report-wait[data-window-minutes]");
      if (wait && minutes >= Number(wait.getAttribute("data-window-minutes"))) {
        wait.classList.add("overdue");
        var note = wait.querySelector(".overdue-note");
        if (note) note.hidden = false;
      }
    });
  }

  if (!isNaN(drawn)) setInterval(update, 30000);
})();
