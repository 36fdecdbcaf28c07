// Follows the thresholds page's run of held comments scored again (admin/_rescore_held.html) while it
// waits for a worker or scores: the count and bar move in place from the run's status every couple of
// seconds (one small query; the page itself reads tuning data and plots, too heavy to fetch again).
// When the run is no longer active (finished, failed, stale or replaced by another admin's) the page
// reloads once, to count what it would publish and offer the buttons, and stops asking. The page had
// said "Reload this page to see it finished" and showed nothing until someone did.
(function () {
  "use strict";
  const section = document.querySelector("[data-rescore-status]");
  if (!section) return;
  const POLL_MS = 2000;
  // A restart or a busy server is asked again later each time, up to MOST_MS apart; after LOST_AFTER
  // misses in a row the page says so. It had asked every 4 s for ever, its count standing still
  // as if the run had stopped, with no word of why.
  const MOST_MS = 30000;
  const LOST_AFTER = 3;
  const ASK_MS = 10000;
  let misses = 0;
  const scored = section.querySelector("[data-rescore-scored]");
  const state = section.querySelector("[data-rescore-state]");
  const bar = section.querySelector("[data-rescore-progress]");
  const total = section.querySelector("[data-rescore-total]");

  function show(run) {
    scored.textContent = run.scored.toLocaleString("en");
    if (run.state === "scoring") state.textContent = "Scoring";
    if (bar) {
      bar.max = Math.max(bar.max, run.scored, 1);
      bar.value = run.scored;
      bar.textContent = run.scored + " of " + bar.max;
      if (total) total.textContent = bar.max.toLocaleString("en");  // never fewer than it scored
    }
  }

  // Asking again cannot mend a refusal: signed out, no longer an admin, or the site gone. The page
  // had asked every 2 s for ever and never said why it stopped moving.
  function stopped(status) {
    const note = document.createElement("p");
    note.className = "flash flash-warning";
    note.setAttribute("role", "alert");
    note.dataset.rescoreStopped = "";
    note.textContent = status === 401
      ? "This page stopped following the run: you are signed out. Sign in again to see it."
      : "This page stopped following the run: the server answered " + status + ". Reload the page to see it.";
    section.appendChild(note);
  }

  function missed() {
    misses += 1;
    if (misses === LOST_AFTER) {
      const note = document.createElement("p");
      note.className = "flash flash-warning";
      note.setAttribute("role", "status");
      note.dataset.rescoreLost = "";
      // A busy server's run goes on; a restart's does not (its worker is stopped with it, and the run
      // stays "scoring" until stale): the note had said the run goes on either way (a re-check).
      note.textContent = "Lost touch with the server. If it is only busy, the run goes on; if the service "
        + "restarted, the run stopped, and another can be started 30 minutes after its last progress. "
        + "This page keeps asking, less often; reload it to see the run.";
      section.appendChild(note);
    }
    window.setTimeout(poll, Math.min(POLL_MS * Math.pow(2, misses), MOST_MS));
  }

  function answered() {
    misses = 0;
    const note = section.querySelector("[data-rescore-lost]");
    if (note) note.remove();
  }

  function poll() {
    if (document.hidden) return window.setTimeout(poll, POLL_MS);
    // A server that hangs is a miss too: without a deadline one ask waited for it as long as it hung,
    // and no miss was ever counted (a re-check froze the web processes for 90 s).
    const deadline = new AbortController();
    const timer = window.setTimeout(function () { deadline.abort(); }, ASK_MS);
    fetch(section.dataset.rescoreStatus, { credentials: "same-origin", headers: { Accept: "application/json" },
                                           signal: deadline.signal })
      .then(function (response) {
        if (response.status >= 400 && response.status < 500 && response.status !== 429) {
          answered();
          return stopped(response.status);
        }
        if (!response.ok) return missed();  // a restart, a busy moment, too many asks
        // A proxy's page in place of the JSON is a miss too (.catch), not an answer.
        return response.json().then(function (body) {
          answered();
          const run = body.run;
          // Another admin's new run is another run: the page is drawn afresh for it.
          if (!run || !run.active || String(run.id) !== section.dataset.run) {
            return window.location.reload();  // the page's own GET: the form that started the run was redirected
          }
          show(run);
          window.setTimeout(poll, POLL_MS);
        });
      })
      .catch(missed)
      .finally(function () { window.clearTimeout(timer); });
  }

  window.setTimeout(poll, POLL_MS);
})();
