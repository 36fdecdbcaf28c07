// Claims (domain/claims.py): the card a moderator is on is claimed for them, so colleagues see
// "being reviewed by ..." and skip it. Focusing a card (or opening a comment's page, which the
// server claims) takes the claim; it is renewed every minute while the moderator stays, and given
// back, best effort, when they move to another card or leave the page. The lease expires anyway.
// Renewed only while the moderator is there: a tab left open over lunch kept its cards from
// colleagues all afternoon, though the refusal they saw said the claim would end in 3 minutes.
(function () {
  "use strict";
  const RENEW_MS = 60 * 1000;
  const POLL_MS = 10 * 1000;
  const IDLE_MS = 5 * 60 * 1000;  // no key, click, touch or scroll for this long: away
  let lastActive = Date.now();
  ["keydown", "pointerdown", "touchstart", "wheel", "scroll", "input"].forEach(function (kind) {
    document.addEventListener(kind, function () { lastActive = Date.now(); }, { capture: true, passive: true });
  });
  function present() { return !document.hidden && Date.now() - lastActive < IDLE_MS; }
  const token = document.querySelector('meta[name="csrf-token"]');
  let current = null;
  let timer = null;

  function note(card) {
    return card.querySelector("[data-claim-note]");
  }

  // Shared with live.js: show who holds a card, and mark it for the keyboard's next/previous to skip.
  function show(card, holder, mine) {
    const text = note(card);
    if (holder && !mine) {
      card.dataset.claimedBy = holder;
    } else {
      delete card.dataset.claimedBy;
    }
    if (text) text.textContent = mine ? "you are reviewing this" : holder ? "being reviewed by " + holder : "";
  }

  // Said to a screen reader, naming the comment; not shown (#live-status is visually hidden). What
  // one poll brings is said together: set one after another, only the last would be heard.
  let pending = [];
  function announce(text) {
    if (!pending.length) {
      setTimeout(function () {
        const status = document.getElementById("live-status");
        if (status) status.textContent = pending.join(" ");
        pending = [];
      }, 0);
    }
    pending.push(text);
  }

  // A card someone else decided, the site deleted, or that changed since the page was drawn (its
  // reader edited it, it was scored again, a sanction hid it): greyed, its buttons off, saying what.
  // A change left the old text and live buttons on screen, and the moderator judged a text that no
  // longer existed until the server refused the decision (a moderator's walk).
  // Who, when and why, as a card the server draws says it: a colleague's rejection greyed by a poll
  // had said only who, and the moderator opened the comment to learn why. The time as the page's
  // others: UTC in a <time>, shown in the browser's zone by local_time.js.
  function sayDecided(element, state) {
    element.textContent = "decided (" + state.status + ") by " + state.decided_by;
    const when = state.decided_at ? new Date(state.decided_at) : null;
    if (when && !isNaN(when.getTime())) {
      const time = document.createElement("time");
      time.setAttribute("datetime", when.toISOString());
      time.textContent = when.toISOString().slice(0, 16).replace("T", " ") + " UTC";
      element.append(" at ", time);
      if (window.showLocalTimes) window.showLocalTimes(element);
    }
    if (state.decision_reason) element.append(": " + state.decision_reason);
  }

  function markDecided(card, state) {
    card.classList.add("decided");
    delete card.dataset.claimedBy;
    const decided = (state.status === "approved" || state.status === "rejected") && state.decided_by;
    if (state.status === "deleted") {
      note(card).textContent = "deleted on the site";  // by the site, or its reader through the site
    } else if (decided) {
      sayDecided(note(card), state);
    } else {
      card.classList.add("changed");
      note(card).textContent = "changed since you opened it (" +
        (state.status === "pending" ? "being scored again" : "now " + state.status) + "): reload the page to see it";
    }
    announce("Comment #" + card.dataset.commentId + " " + note(card).textContent + ".");
    const pill = card.querySelector(".meta .status");
    if (pill) {
      pill.textContent = state.status;
      pill.className = "status status-" + state.status;
    }
    card.querySelectorAll("form.decide button, form.decide select, form.decide input").forEach(function (el) {
      el.disabled = true;
    });
  }

  // Shared with live.js: a card's state from the server (review/claims.py, CardState.as_json).
  function applyState(card, state) {
    const form = card.querySelector("form.decide");
    if (!form) return;
    if (card.classList.contains("decided")) {
      // Undone or reversed since: its form holds the old version, so a reload, not live buttons.
      if (state.decidable && !card.classList.contains("changed")) {
        note(card).textContent = "the decision was undone: reload the page to review it again";
      }
      return;
    }
    const drawn = form.querySelector('input[name="version"]');
    if (!state.decidable || (drawn && Number(drawn.value) !== state.version)) {
      markDecided(card, state);
    } else {
      show(card, state.claimed_by, state.claimed_by_me);
    }
  }

  // Signed out (here or in another browser): said at the top of the page and the decision buttons
  // turned off, or a moderator clicked Reject, was sent to sign in, and took the rejection as made.
  function signedOut() {
    if (document.querySelector("[data-signed-out]")) return;
    const bar = document.createElement("p");
    bar.className = "flash flash-warning signed-out-bar";
    bar.setAttribute("role", "alert");
    bar.dataset.signedOut = "";
    bar.textContent = "You have been signed out, here or in another browser: nothing decided on this page now would be saved. ";
    const again = document.createElement("a");
    again.href = "/login?next=" + encodeURIComponent(window.location.pathname + window.location.search);
    again.textContent = "Sign in again";
    bar.appendChild(again);
    const main = document.querySelector("main") || document.body;
    main.insertBefore(bar, main.firstChild);
    document.querySelectorAll("form.decide button, form.bulk button, .bulk-bar button").forEach(function (button) {
      button.disabled = true;
    });
  }

  function send(card, action) {
    return fetch("/review/" + card.dataset.commentId + "/" + action, {
      method: "POST", credentials: "same-origin", keepalive: true,
      headers: { "X-CSRFToken": token ? token.content : "", Accept: "application/json" },
    });
  }

  function claim(card) {
    if (card.classList.contains("decided")) return;  // greyed by a poll: nothing left to hold
    send(card, "claim")
      .then(function (response) { return response.json(); })
      .then(function (body) {
        const held = body.claim || body;  // a 409 names the holder under "claim"
        // Nothing claimed as the comment is decided, deleted or changed: greyed now, not at the next poll.
        if (body.state) { applyState(card, body.state); return; }
        // A poll may have greyed the card meanwhile: its "decided by" note stays.
        if (held.comment_id !== undefined && !card.classList.contains("decided")) show(card, held.holder, held.claimed);
      })
      .catch(function () { /* offline for a moment: the next renewal tries again */ });
  }

  function renew(card) { if (present()) claim(card); }

  function enter(card) {
    current = card;
    claim(card);
    timer = setInterval(function () { renew(card); }, RENEW_MS);
  }

  function leave() {
    if (!current) return;
    clearInterval(timer);
    if (!current.dataset.claimedBy) {
      send(current, "release").catch(function () {});
      show(current, null, false);
    }
    current = null;
  }

  // Only undecided cards (those with a decision form) are worth claiming.
  function claimable(card) {
    return card && card.querySelector("form.decide") ? card : null;
  }

  document.addEventListener("focusin", function (event) {
    const card = claimable(event.target.closest(".card.item[data-comment-id]"));
    if (card === current || (!card && !current)) return;
    leave();
    if (card) enter(card);
  });

  // A comment's own page: the server claimed it when the page was opened; keep it while it stays
  // open. Its state is polled as the queue page's cards are (live.js): a colleague deciding it, or
  // the site deleting it, greys it, and when the colleague holding it leaves it becomes ours.
  const opened = claimable(document.querySelector("[data-claim-hold][data-comment-id]"));
  if (opened && !opened.dataset.claimedBy) {
    current = opened;
    timer = setInterval(function () { renew(opened); }, RENEW_MS);
  }
  // Back at the tab: take the card again at once, unless a colleague took it meanwhile (then shown).
  document.addEventListener("visibilitychange", function () {
    if (current && !document.hidden && !current.dataset.claimedBy) claim(current);
  });
  function watch() {
    if (document.hidden) return;
    fetch("/review/" + opened.dataset.commentId + "/state",
          { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (response.status === 401) signedOut();
        return response.ok ? response.json() : null;
      })
      .then(function (state) {
        if (!state) return;
        applyState(opened, state);
        if (!state.decidable) {
          if (current === opened) clearInterval(timer);
          current = null;
        } else if (!state.claimed_by && current !== opened && !opened.classList.contains("decided")) {
          enter(opened);
        }
      })
      .catch(function () { /* a missed poll is caught up by the next */ });
  }
  if (opened) {
    setInterval(watch, POLL_MS);
    document.addEventListener("visibilitychange", watch);
  }

  window.addEventListener("pagehide", leave);
  window.reviewClaims = { show: show, applyState: applyState, announce: announce, signedOut: signedOut };
})();
