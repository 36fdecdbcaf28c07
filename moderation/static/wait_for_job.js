// A page about a job still running (a backtest) asks for itself again every few seconds and takes
// over the new progress line; once the job is done it loads the result, once. It was a Refresh
// header that reloaded the whole page every 2 s: the focus went back to the top each time, under a
// keyboard user who had tabbed to a link, and a screen reader started the page over (WCAG 2.2.1).
(function () {
  "use strict";
  var status = document.querySelector("[data-wait-for-job]");
  if (!status) return;
  var every = Number(status.dataset.waitForJob) * 1000 || 2000;

  function check() {
    fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html === null) return setTimeout(check, every);
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-wait-for-job]");
        if (!fresh) return window.location.reload();  // done, failed or stale: the page says which
        var line = status.querySelector("[data-progress]"), freshLine = fresh.querySelector("[data-progress]");
        if (line && freshLine && line.textContent !== freshLine.textContent) line.textContent = freshLine.textContent;
        setTimeout(check, every);
      })
      .catch(function () { setTimeout(check, every); });
  }
  setTimeout(check, every);
})();
