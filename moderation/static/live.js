// Keeps an open queue page current without re-rendering or scrolling it: every 10 seconds while
// the tab is visible it asks /review/updates (short polling: see domain/queue_updates.py for why
// not server-sent events) for the tab counts, the state of each card on the page and how many new
// comments arrived, and marks the cards others took, decided or the site deleted in place.
(function () {
  "use strict";
  const POLL_MS = 10 * 1000;
  const list = document.querySelector("ol.queue[data-updates]");
  if (!list) return;
  const banner = document.querySelector("[data-new-items]");
  const lateReports = document.querySelector("[data-report-wait-banner]");

  function cards() {
    return Array.from(list.querySelectorAll(".card.item[data-comment-id]"));
  }

  function apply(update) {
    Object.keys(update.count_labels).forEach(function (tab) {
      const count = document.querySelector('.tabs [data-tab="' + tab + '"] .count');
      if (count) count.textContent = update.count_labels[tab];
      // The heading and the bulk bar's "All N matching…" say it too (a walk: "To review 33", "All 31 matching…").
      document.querySelectorAll('[data-tab-count="' + tab + '"]').forEach(function (said) {
        said.textContent = update.count_labels[tab];
      });
    });
    cards().forEach(function (card) {
      const state = update.cards[card.dataset.commentId];
      if (state && window.reviewClaims) window.reviewClaims.applyState(card, state);
    });
    if (lateReports && typeof update.report_wait_banner === "string") showLateReports(update.report_wait_banner);
    if (banner && update.new > 0) {
      const text = update.new + " new comment" + (update.new === 1 ? "" : "s") + " — show";
      if (banner.firstElementChild.textContent !== text && window.reviewClaims) {
        window.reviewClaims.announce(update.new + " new comment" + (update.new === 1 ? "" : "s") + " in the queue.");
      }
      banner.firstElementChild.textContent = text;
      banner.hidden = false;
    }
  }

  // The late reports' banner as the server draws it now, put in place only when what it says changed
  // (its data-wait-key), so its counted-on "ago" and local times are not redrawn every poll. It had
  // been drawn once: its count stayed while the cards under it were answered or more grew late.
  function showLateReports(html) {
    const drawn = document.createElement("template");
    drawn.innerHTML = html;
    const now = drawn.content.firstElementChild;
    const shown = lateReports.firstElementChild;
    const key = function (element) { return element ? element.getAttribute("data-wait-key") : ""; };
    if (key(now) === key(shown)) return;
    // Focus on the banner's link stays on the new banner's: replaced, it fell to <body> (a re-check).
    const focused = lateReports.contains(document.activeElement) ? document.activeElement : null;
    const focusedHref = focused ? focused.getAttribute("href") : null;
    lateReports.replaceChildren(drawn.content);
    if (now && window.showLocalTimes) window.showLocalTimes(lateReports);
    if (focused) {
      const again = (focusedHref && lateReports.querySelector('a[href="' + CSS.escape(focusedHref) + '"]'))
        || lateReports.querySelector("a, button") || lateReports.querySelector("[tabindex]");
      if (again) again.focus(); else if (now) { now.setAttribute("tabindex", "-1"); now.focus(); }
    }
    // Said when it first shows and when its count changes; the changed count was not said (a re-check).
    if (now && window.reviewClaims) window.reviewClaims.announce(now.textContent.replace(/\s+/g, " ").trim());
  }

  function poll() {
    if (document.hidden) return;
    const url = new URL(list.dataset.updates, window.location.href);
    url.searchParams.set("ids", cards().map(function (card) { return card.dataset.commentId; }).join(","));
    url.searchParams.set("loaded_at", list.dataset.loadedAt);
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (response.status === 401 && window.reviewClaims) window.reviewClaims.signedOut();
        return response.ok ? response.json() : null;
      })
      .then(function (update) { if (update) apply(update); })
      .catch(function () { /* a missed poll is caught up by the next */ });
  }

  // "N new comments — show" reloads the page: a note or reason the moderator has started would be
  // lost without a word, so it asks first; so would the cards ticked for a bulk decision (a phone
  // walk lost a selection gathered tap by tap).
  if (banner) {
    banner.addEventListener("click", function (event) {
      const started = Array.from(list.querySelectorAll('form.decide select[name="reason_choice"], form.decide input[name="reason_note"], .team-note-form textarea[name="note"]'))
        .some(function (field) { return field.value.trim() !== ""; });
      const ticked = document.querySelectorAll('input[data-key="select"]:checked').length;
      const cards = ticked === 1 ? "the comment you ticked" : "the " + ticked + " comments you ticked";
      const lost = started && ticked ? "The reason or note you started and " + cards
        : started ? "The reason or note you started" : ticked ? cards.charAt(0).toUpperCase() + cards.slice(1) : "";
      if (lost && !window.confirm("Show the new comments? " + lost + " will be lost.")) {
        event.preventDefault();
      }
    });
  }

  setInterval(poll, POLL_MS);
  document.addEventListener("visibilitychange", poll);
})();
