// Keyboard shortcuts for the review pages (docs/moderation.md "Keyboard shortcuts", review/_keys_help.html).
// Every key clicks, toggles or focuses an element marked data-key="..." in the current card, so a
// page without that element does nothing for it. A file, not inline script: the CSP allows none.
(function () {
  "use strict";
  var current = null;       // the card the keys act on
  var rejectArmed = false;  // "r" with no reason picked: the next digit picks it and rejects
  // A key pressed again because the page seemed slow to come back decided the next card unseen, and
  // the undo offered was for that one only. Keys that decide wait this long after a page arrives.
  var SETTLE_MS = 700;
  var decideFrom = Infinity;
  var DECIDES = { a: true, r: true, u: true };
  var lastKey = "", saidLast = false;  // j at the last card said so; a second j goes to the next page
  var FOLLOW = "moderation.follow";
  // Single-key shortcuts can be turned off in the list (WCAG 2.1.4): a screen reader in browse mode
  // and speech input send plain letters the page would take as decisions. Kept in this browser.
  var SETTING = "moderation.single-keys";
  function keysOn() { try { return window.localStorage.getItem(SETTING) !== "off"; } catch (e) { return true; } }
  // Each button a key presses says so to assistive technology (aria-keyshortcuts) while keys are on.
  var KEY_OF = { approve: "a", reject: "r", undo: "u", author: "o", select: "x", help: "?", "new-items": "n" };
  // Keys that work with single keys off too: Undo's was said in the announcement alone.
  var ALWAYS = { undo: "Alt+Shift+U" };
  function markShortcuts() {
    document.querySelectorAll("[data-key]").forEach(function (el) {
      var name = el.getAttribute("data-key");
      var keys = [keysOn() && KEY_OF[name], ALWAYS[name]].filter(Boolean);
      if (keys.length) el.setAttribute("aria-keyshortcuts", keys.join(" "));
      else el.removeAttribute("aria-keyshortcuts");
    });
  }

  function cards() { return Array.prototype.slice.call(document.querySelectorAll(".card.item[data-comment-id]")); }
  // Free: another moderator is not on it, and a poll has not greyed it as decided, deleted or changed
  // since (claims.js markDecided). j stopped on a greyed card, where "r 1" said a reason and did nothing.
  function free(card) { return !card.hasAttribute("data-claimed-by") && !card.classList.contains("decided"); }
  function inCard(key) { return current && current.querySelector('[data-key="' + key + '"]'); }
  function say(text) { var status = document.getElementById("key-status"); if (status) status.textContent = text; }

  function focusCard(card) {
    if (!card) return;
    current = card;
    card.focus({ preventScroll: true });
    card.scrollIntoView({ block: "start" });
    // The address names the card, so Back from the author's page (o) or a reload comes back to it:
    // it had come back with no card, "a" silent and "j" at the top (a moderator's night shift).
    if (card.id && cards().length > 1) history.replaceState(history.state, "", "#" + card.id);
  }

  // The nearest card another moderator is not on, `step` cards on from `card` (or from an end).
  function neighbour(card, step) {
    var all = cards(), i = all.indexOf(card);
    if (i < 0) i = step > 0 ? -1 : all.length;
    for (i += step; i >= 0 && i < all.length; i += step) if (free(all[i])) return all[i];
    return null;
  }

  function click(key) {
    var el = inCard(key);
    if (el && el.disabled && current.classList.contains("decided")) {
      var note = current.querySelector("[data-claim-note]");
      var why = note && note.textContent ? note.textContent : "Decided";
      var gone = current, next = gone.classList.contains("changed") ? null : neighbour(gone, 1) || neighbour(gone, -1);
      if (!next) return say(why + ": nothing to decide here. j for the next comment.");
      // On, as after a decision of one's own: a colleague's just before it had left the focus on the
      // dead card until j, every key there refused (an election-night lead's walk). Changed rather
      // than decided, it still waits for a decision after a reload, so the focus stays.
      focusCard(next);
      decideFrom = Date.now() + SETTLE_MS;  // the same key pressed again must not decide the next one unseen
      say("#" + gone.dataset.commentId + " " + why + ": on to the next comment.");
    } else if (el) {
      el.click();
    } else if (key === "approve" || key === "reject") {
      nothingToDecide();
    }
  }
  // A card with nothing to approve or reject (an approved comment's reports to dismiss) says what its
  // keys do, where "r 7" had said nothing for a minute and a half (a team lead's walk).
  function nothingToDecide() {
    var note = current && current.querySelector("[data-keys-note]");
    say(note ? note.getAttribute("data-keys-note") : "Nothing to decide on this comment. j for the next comment.");
  }
  // Said, as the card keeps the focus: a screen reader heard nothing open or close (an accessibility review).
  var TOGGLED = { thread: "Thread", precedent: "Precedent" };
  function toggle(key) {
    var el = inCard(key);
    if (!el) return sayBriefly("This comment has no " + TOGGLED[key].toLowerCase() + ".");
    el.open = !el.open;
    sayBriefly(TOGGLED[key] + (el.open ? " shown." : " hidden."));
  }
  // Heard at once, then gone: left on screen, a message covered the link the next Tab focused (a re-check).
  function sayBriefly(text) {
    say(text);
    setTimeout(function () { var status = document.getElementById("key-status"); if (status && status.textContent === text) say(""); }, 4000);
  }

  function pickReason(n) {
    var select = inCard("reason");
    if (!select || n >= select.options.length) return false;
    select.selectedIndex = n;  // option 0 is "choose", so key N is the Nth guideline reason
    select.removeAttribute("data-restored");
    // As a pick by hand: "Pick the reason to reject." and aria-invalid had stayed on it (a re-check).
    select.dispatchEvent(new Event("change", { bubbles: true }));
    // Heard at once; not left over the bulk bar's fields, where the status sits on screen.
    sayBriefly("Reason: " + select.options[n].text + ".");
    return true;
  }

  function reject() {
    var select = inCard("reason");
    if (current && current.classList.contains("decided")) {
      click("reject");  // says why nothing happens
    } else if (select && (!select.value || (select.hasAttribute("data-restored") && !rejectArmed))) {
      // A reason kept through a refusal (reject_reason.js) is not taken unasked: "r 2" after reading the
      // new report had rejected at once with the old reason, and the 2 fell on the next card (a re-check).
      rejectArmed = true;
      var numbered = [];
      for (var i = 1; i < select.options.length && i <= 9; i++) numbered.push(i + " " + select.options[i].text);
      say("Reject: press the reason's number (" + numbered.join(", ") + ")" +
          (select.value ? ", r again for the kept reason, " + select.value + "," : "") + " or Esc.");
    } else {
      if (select) select.removeAttribute("data-restored");
      click("reject");
    }
  }

  var beforeHelp = null;  // where the focus was when the list opened
  function help() {
    var dialog = document.getElementById("keys-help");
    if (dialog && !dialog.open) { beforeHelp = document.activeElement; dialog.showModal(); }
  }
  // Back where the focus was: on a page where no comment was chosen yet it fell to <body>, and a screen
  // reader started again from "Skip to the page" (an election-night lead's walk). From nowhere, to the
  // page's content, where j then reaches the first comment rather than passing it.
  function backFromHelp() {
    var was = beforeHelp;
    beforeHelp = null;
    if (was && was !== document.body && document.contains(was)) {
      return was.matches(".card.item") ? focusCard(was) : was.focus();
    }
    if (current) return focusCard(current);
    var main = document.getElementById("main");
    if (main) main.focus({ preventScroll: true });
  }

  var keys = {
    j: function () {
      var next = neighbour(current, 1);
      if (next) return focusCard(next);
      // The last comment of the page: j again goes on to the next page, which had taken the mouse
      // every 25 cards (a moderator's walk).
      var more = document.querySelector("[data-next-page]");
      // Ticked boxes would be lost with the page (a re-check): decided or unticked first.
      var ticked = document.querySelectorAll('.card.item input[data-key="select"]:checked').length;
      if (more && ticked) return say("Last comment on this page. " + ticked + " ticked here: decide or untick them before the next page.");
      if (more && lastKey === "j" && saidLast) return (window.location.href = more.href);
      saidLast = true;
      say(more ? "Last comment on this page: j again for the next page." : "Last comment in this list.");
    },
    k: function () { focusCard(neighbour(current, -1)); },
    a: function () { click("approve"); },
    r: reject,
    u: function () {
      var undo = inCard("undo") || document.querySelector('[data-key="undo"]');
      if (undo) return undo.click();
      // The offer is gone after a reload or another page: say where Undo still is, not nothing.
      say("Nothing to undo on this page: a comment's own page offers Undo while its window lasts (its history lists what was decided).");
    },
    o: function () { click("author"); },
    t: function () { toggle("thread"); },
    p: function () { toggle("precedent"); },
    x: function () { click("select"); },
    // The bulk bar from wherever the focus is: from the 20th card its Reject was 210 Shift+Tabs away
    // (an accessibility review). Esc in its fields comes back to the comment.
    b: function () {
      var bar = document.querySelector("form.bulk-bar");
      if (!bar) return say("No bulk decision on this page.");
      var field = bar.querySelector('select[name="reason_choice"]') || bar.querySelector("input, select, button");
      if (field) field.focus();
    },
    // "N new comments — show" by key: it was reached only by the mouse or Shift+Tabs back up the page
    // (the night shift). Its click asks first when a note is started (live.js).
    n: function () {
      var show = document.querySelector("[data-new-items]:not([hidden]) a");
      if (show) return show.click();
      say("No new comments since this page was loaded.");
    },
    "/": function () {
      var search = document.querySelector('input[type="search"]');
      if (!search) return;
      // On a narrow window (a phone, or 200% zoom) the search sits in a folded section, where focus() does nothing.
      var fold = search.closest("details");
      if (fold) fold.open = true;
      search.focus();
    },
    "?": help,
  };

  // Keys that only move the focus or open help work wherever the focus is; the rest act on a comment,
  // so only while the focus is in its card, or nowhere (the page itself): a stray "a" with the focus
  // on "Sign out" approved the last card Tab had passed through (WCAG 2.1.4).
  var ANYWHERE = { j: true, k: true, b: true, n: true, "/": true, "?": true };
  function onTheCard() {
    var focused = document.activeElement;
    if (current === null) {
      if (cards().length) say("No comment is chosen for these keys: press j or k, or click into a comment.");
      return false;
    }
    if (!focused || focused === document.body) {
      // No focus (a click on the margin): the card's text must be in sight, below the sticky bulk bar.
      // Its button row peeking out under the bar was enough, and "a" approved a comment scrolled out
      // of sight while the next one filled the screen (a moderator's walk).
      var box = (current.querySelector("blockquote.text") || current).getBoundingClientRect();
      if (box.bottom > stuckBarBottom() && box.top < window.innerHeight) return true;
      say("The comment these keys would act on is out of sight: press j or k, or click into the comment you mean.");
      return false;
    }
    return current.contains(focused);
  }

  function stuckBarBottom() {
    var bar = document.querySelector(".bulk-bar");
    if (!bar) return 0;
    var box = bar.getBoundingClientRect();
    return box.top <= 1 ? Math.max(0, box.bottom) : 0;  // only while stuck to the top of the window
  }

  document.addEventListener("keydown", function (event) {
    var typing = event.target.closest && event.target.closest("input, select, textarea, [contenteditable]");
    if (typing && event.key === "Escape" && !typing.matches("[contenteditable]") && !typing.closest("dialog")) {
      // Esc leaves a field (keeping its text; the reason list too) for the card, or for the first
      // one on a page just opened: the search box cleared itself instead, and the next "r" went into it.
      // So from the bulk bar (b) too, back to the comment the keys were on.
      var back = current || neighbour(null, 1);
      if (back) { event.preventDefault(); return focusCard(back); }
    }
    // Undo with a modifier works with single keys off too: for them the toast's Undo was 54 Shift+Tabs
    // away, for the very moderators told to turn the keys off (an accessibility review).
    if (event.altKey && event.shiftKey && !event.ctrlKey && !event.metaKey && event.code === "KeyU" && !typing
        && !document.querySelector("dialog[open]")) {
      var offered = document.querySelector('[data-key="undo"]');
      if (offered) { event.preventDefault(); return offered.click(); }
      return say("Nothing to undo on this page.");
    }
    // A reason's number in the bulk bar, on its reason list, a button or a tick box, as on a card: the
    // bar took none, and a moderator had to read down the list for the one she knew by number (the
    // night shift). Not in the note, where a digit is text.
    var inBar = event.target.closest && event.target.closest("form.bulk-bar");
    if (inBar && /^[1-9]$/.test(event.key) && !event.ctrlKey && !event.metaKey && !event.altKey && keysOn()
        && !event.target.matches('input[type="text"], input:not([type]), textarea')) {
      var barReason = inBar.querySelector('select[name="reason_choice"]');
      var n = Number(event.key);
      if (barReason && n < barReason.options.length) {
        event.preventDefault();
        barReason.selectedIndex = n;
        barReason.dispatchEvent(new Event("change", { bubbles: true }));
        return sayBriefly("Reason for the selected comments: " + barReason.options[n].text + ".");
      }
    }
    // b from a tick box too, which takes no letters: tick with Space, then decide them (a re-check).
    if (event.key === "b" && !event.ctrlKey && !event.metaKey && !event.altKey && keysOn()
        && event.target.matches && event.target.matches('input[type="checkbox"]') && !event.target.closest("dialog")) {
      event.preventDefault();
      return keys.b();
    }
    if (event.ctrlKey || event.metaKey || event.altKey || typing || document.querySelector("dialog[open]")) return;
    // Esc closes the messages at the top of the window: at 400 % zoom a decision's covered a third
    // of it until its ×, 91 Shift+Tabs away, was pressed (an accessibility review).
    // Hidden, not removed: u and Alt+Shift+U still find the Undo in it (a night shift closed a message
    // and lost the undo of the decision it named).
    var toasts = document.querySelectorAll(".toasts .flash:not([hidden])");
    if (event.key === "Escape" && !rejectArmed && toasts.length) {
      toasts.forEach(function (flash) { flash.hidden = true; });
      event.preventDefault();
      return say("Messages closed.");
    }
    if (!keysOn()) return;
    var digit = /^[1-9]$/.test(event.key) ? Number(event.key) : 0;
    // Only a shortcut is checked against the card: Tab and Shift had said "No comment is chosen" in a
    // box over the top bar's links as they took the focus (an accessibility review, WCAG 2.4.11).
    var shortcut = Object.prototype.hasOwnProperty.call(keys, event.key) || digit || (event.key === "Escape" && rejectArmed);
    if (!shortcut) return;
    // Nothing to undo is so whichever comment has the focus: on a page just loaded, "u" had said that no
    // comment was chosen, about the wrong thing (an election-night lead's walk).
    if (event.key === "u" && !document.querySelector('[data-key="undo"]')) {
      rejectArmed = false;
      event.preventDefault();
      return keys.u();
    }
    if (!ANYWHERE[event.key] && !onTheCard()) return;
    // A digit too: one pressed as the page came back set a reason on the next card unseen (a re-check).
    if ((DECIDES[event.key] || digit) && Date.now() < decideFrom) {
      event.preventDefault();
      return say("This comment has just come up: read it, then decide.");
    }
    if (event.key === "Escape" && rejectArmed) {
      rejectArmed = false;
      say("");
    } else if (digit) {
      var picked = pickReason(digit);  // says the reason it picked
      if (picked && rejectArmed) click("reject");
      else if (!picked && !inCard("reason")) nothingToDecide();
      else if (!picked) say("");
      rejectArmed = false;
    } else if (Object.prototype.hasOwnProperty.call(keys, event.key)) {
      if (event.key !== "r") { rejectArmed = false; say(""); }
      if (event.key !== "j") saidLast = false;
      keys[event.key]();
      lastKey = event.key;
    } else {
      return;
    }
    event.preventDefault();
  });

  // Whatever moves focus into a card (a click, Tab) makes it the current one.
  document.addEventListener("focusin", function (event) {
    var card = event.target.closest && event.target.closest(".card.item");
    if (card && card !== current && rejectArmed) {
      // "r" was for the card it was pressed on: a click into another card to read its thread had
      // left it armed, and the digit rejected the comment being read (a moderator's walk).
      rejectArmed = false;
      say("Reject cancelled: you moved to another comment.");
    } else if (card && card !== current) {
      say("");  // said of another card, or of none (a re-check)
    }
    if (card) current = card;
    // A key's message is about the card: gone when the focus leaves for the page's links and fields,
    // which its box at the top of the window would cover; a reject waiting for its reason is cancelled
    // (its prompt stayed over six top-bar links as Shift+Tab reached them, and Esc could not clear it).
    else if (!(event.target.closest && event.target.closest("dialog"))) { rejectArmed = false; say(""); }
  });

  // A decision comes back to the page with the following free card in the URL's fragment.
  document.addEventListener("submit", function (event) {
    var card = event.target.closest(".card.item"), next = event.target.querySelector('input[name="next"]');
    if (!card || !next || cards().length < 2) return;  // the detail page comes back to its own card
    // A note decides nothing: it comes back to its own card, not the next (a re-check).
    if (event.target.closest(".team-note-form")) return;
    var follow = neighbour(card, 1) || neighbour(card, -1);
    next.value = next.value.split("#")[0] + (follow ? "#" + follow.id : "");
    // Which card the page is to come back on as the next one (not the server's "stay on this one",
    // after a refusal): only that one is passed over if a colleague took it meanwhile.
    try { window.sessionStorage.setItem(FOLLOW, follow ? follow.id : ""); } catch (e) { /* private mode */ }
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest('[data-key="help"]')) help();
    if (event.target.closest("dialog [data-close]")) event.target.closest("dialog").close();
  });

  document.addEventListener("DOMContentLoaded", function () {
    decideFrom = Date.now() + SETTLE_MS;
    setTimeout(function () { document.body.setAttribute("data-keys-settled", ""); }, SETTLE_MS);
    var all = cards(), wanted = location.hash.indexOf("#comment-") === 0;
    var target = wanted && document.getElementById(location.hash.slice(1));
    var followed = "";
    try { followed = window.sessionStorage.getItem(FOLLOW) || ""; window.sessionStorage.removeItem(FOLLOW); } catch (e) { /* private mode */ }
    if (target && all.indexOf(target) >= 0 && (free(target) || target.id !== followed)) {
      focusCard(target);  // free, or the card a refused decision stays on, to say why
    } else if (target && all.indexOf(target) >= 0) {
      // A colleague took it while this moderator decided the card before it: the keys then landed on
      // it, and the next "a" was refused after a round trip (a moderator's walk).
      focusCard(neighbour(target, 1) || neighbour(target, -1) || target);
      if (current !== target) {
        say("#" + target.dataset.commentId + (target.dataset.claimedBy ? " is being reviewed by " + target.dataset.claimedBy
                                               : " was decided or changed meanwhile") + ": on to the next comment.");
      }
    } else if (wanted) {
      focusCard(neighbour(null, 1));  // that card went meanwhile: the first one left
    }
    // The detail page: its one card. Not a queue narrowed to one card, where j then said "Last comment
    // in this list." without ever reaching it, and only 42 Tabs did (a night shift's walk).
    if (!current && all.length === 1 && !all[0].closest("ol.queue")) current = all[0];
    var dialog = document.getElementById("keys-help");
    if (dialog) dialog.addEventListener("close", backFromHelp);
    var toggle = document.getElementById("single-keys");
    if (toggle) {
      toggle.checked = keysOn();
      toggle.addEventListener("change", function () {
        try { window.localStorage.setItem(SETTING, toggle.checked ? "on" : "off"); } catch (e) { /* private mode */ }
        markShortcuts();
        var heard = document.getElementById("single-keys-status");
        if (heard) heard.textContent = toggle.checked ? "Single-key shortcuts on." : "Single-key shortcuts off.";
      });
    }
    markShortcuts();
  });
})();
