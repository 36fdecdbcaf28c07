// Keeps /admin/training's current run up to date while it is queued or running: short polling of
// /admin/training/status every couple of seconds (one small query; no connection held open per
// tab), updating the progress bar, stage and log in place. When the run ends the page reloads
// once, so the form, the Cancel button and the runs table show the outcome.
(function () {
  "use strict";
  const section = document.querySelector("[data-training-status]");
  if (!section || section.dataset.active !== "true") return;
  const POLL_MS = parseInt(section.dataset.pollMs, 10) || 2000;
  const bar = section.querySelector("[data-run-progress]");
  const percent = section.querySelector("[data-run-percent]");
  const stage = section.querySelector("[data-run-stage]");
  const state = section.querySelector("[data-run-state]");
  const log = section.querySelector("[data-run-log]");

  function show(run) {
    bar.value = run.progress;
    percent.textContent = Math.round(run.progress * 100) + "%";
    stage.textContent = run.stage_words || run.stage || "—";
    state.textContent = run.state + (run.cancel_requested && run.active ? " (cancelling)" : "");
    state.className = "status run-" + run.state;
    document.querySelectorAll('[data-run-state-of="' + run.id + '"]').forEach(function (el) {
      el.textContent = run.state;
      if (el.classList.contains("status")) el.className = "status run-" + run.state;
    });
    // "Training run #N queued." is out of date once it runs: the card above says what it is doing.
    if (run.state !== "queued") {
      document.querySelectorAll(".toasts .flash").forEach(function (toast) {
        if (toast.textContent.trim() === "Training run #" + run.id + " queued.") toast.remove();
      });
    }
    // The runs table was drawn when the run was queued: its start and time so far, as they come.
    if (run.started_at) {
      const started = document.querySelector('[data-run-started-of="' + run.id + '"]');
      if (started && !started.querySelector("time")) {
        const time = document.createElement("time");
        time.dateTime = run.started_at;
        time.textContent = new Date(run.started_at).toISOString().slice(0, 16).replace("T", " ") + " UTC";
        started.replaceChildren(time);
        if (window.showLocalTimes) window.showLocalTimes(started);
      }
      const took = document.querySelector('[data-run-took-of="' + run.id + '"]');
      if (took) took.textContent = Math.max(0, Math.round((Date.now() - Date.parse(run.started_at)) / 1000)) + " s so far";
    }
    if (log.textContent !== run.log) {
      const atBottom = log.scrollTop + log.clientHeight >= log.scrollHeight - 4;
      log.textContent = run.log;  // text, never HTML: the log may quote an error message
      if (atBottom) log.scrollTop = log.scrollHeight;
    }
  }

  function poll() {
    if (document.hidden) return window.setTimeout(poll, POLL_MS);
    fetch(section.dataset.trainingStatus, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) {
        if (body && body.run) {
          show(body.run);
          if (!body.run.active) return window.location.reload();
        }
        window.setTimeout(poll, POLL_MS);
      })
      .catch(function () { window.setTimeout(poll, POLL_MS * 2); });
  }

  log.scrollTop = log.scrollHeight;
  window.setTimeout(poll, POLL_MS);
})();
