// A reject needs a guideline reason (the server refuses one without). Asked here, before the form
// goes: refused by the server, the queue came back scrolled to the next card with the error out of
// sight, and a bulk bar's ticked boxes were lost. Also closes a flash on its dismiss button, and
// keeps a decision's reason and note through a refusal.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var button = event.submitter, form = event.target;
    if (!button || button.name !== "action" || button.value !== "reject") return;
    var select = form.querySelector('select[name="reason_choice"]');
    if (!select || select.value) return;
    event.preventDefault();
    select.setAttribute("aria-invalid", "true");
    var label = select.closest("label"), hint = label && label.querySelector(".field-error");
    if (label && !hint) {
      hint = document.createElement("span");
      hint.className = "field-error";
      hint.id = "reason-error-" + Math.random().toString(36).slice(2);
      hint.setAttribute("role", "alert");
      hint.textContent = "Pick the reason to reject.";
      label.appendChild(hint);
      // Tied to the field, so landing on it again says why, not only "invalid entry" (an accessibility review).
      select.setAttribute("aria-describedby", hint.id);
    }
    select.focus();
  });

  // Enter in a decision's note or on a tick box decides nothing: the form's first button says "none"
  // (review/_comment.html), and its submission stops here. With a reason picked, Enter in the note
  // goes to Reject, so a second Enter rejects with that reason; without one it stays.
  document.addEventListener("submit", function (event) {
    if (event.submitter && event.submitter.name === "action" && event.submitter.value === "none") {
      event.preventDefault();
      event.stopPropagation();  // nor does any other script act on it (a confirmation, the next card)
    }
  }, true);
  document.addEventListener("keydown", function (event) {
    var field = event.target;
    if (event.key !== "Enter" || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    if (!field.form || !field.matches('input[name="reason_note"]')) return;
    var form = field.form, select = form.querySelector('select[name="reason_choice"]');
    var reject = form.querySelector('button[name="action"][value="reject"]');
    if (!select || !select.value || !reject) return;
    event.preventDefault();
    reject.focus();
  });

  // A note for the team typed and not added would go with the page a decision loads: Esc then "a"
  // approved the comment and dropped the note that said why it was left held (a re-check). So the
  // decision asks first, by key or by click.
  // Any card's: the page a decision loads replaces them all (a re-check lost a note on the card above
  // by deciding the next one).
  document.addEventListener("submit", function (event) {
    // Adding another card's note reloads the page too (a second re-check).
    var form = event.target, replacing = form.matches && (form.matches("form.decide") || form.matches("form.bulk-bar")
                                                          || form.matches(".team-note-form form"));
    var note = replacing && Array.from(document.querySelectorAll('.team-note-form textarea[name="note"]'))
      .filter(function (field) { return field.form !== form && field.value.trim() !== ""; })[0];
    if (event.defaultPrevented || !note) return;
    if (!window.confirm("Your note for the team is not added yet. Go on and lose it?")) {
      event.preventDefault();
      var fold = note.closest("details");
      if (fold) fold.open = true;
      note.focus();
    }
  });

  // A decision refused (a report came in, a colleague's claim, a change) came back with the reason and
  // the note empty, to pick and type again after reading why (an accessibility review, WCAG 3.3.7). So
  // what was entered is kept for the next page alone, and put back on the card if it is still open.
  var DRAFT = "moderation.draft.";
  document.addEventListener("submit", function (event) {
    var form = event.target, card = form.matches && form.matches("form.decide") && form.closest("[data-comment-id]");
    var select = form.querySelector('select[name="reason_choice"]'), note = form.querySelector('input[name="reason_note"]');
    if (!card || !select || event.defaultPrevented) return;
    try {
      window.sessionStorage.setItem(DRAFT + card.getAttribute("data-comment-id"),
                                    JSON.stringify({ reason: select.value, note: note ? note.value : "" }));
    } catch (e) { /* private mode */ }
  });
  document.addEventListener("DOMContentLoaded", function () {
    var stored = [];
    try {
      for (var i = 0; i < window.sessionStorage.length; i++) {
        var key = window.sessionStorage.key(i);
        if (key.indexOf(DRAFT) === 0) stored.push(key);
      }
    } catch (e) { return; }
    stored.forEach(function (key) {
      var draft = null;
      try { draft = JSON.parse(window.sessionStorage.getItem(key)); window.sessionStorage.removeItem(key); } catch (e) { return; }
      var card = document.querySelector('.card.item[data-comment-id="' + key.slice(DRAFT.length) + '"]');
      var form = card && card.querySelector("form.decide");  // still open: a decided card has none
      var select = form && form.querySelector('select[name="reason_choice"]'), note = form && form.querySelector('input[name="reason_note"]');
      if (!draft || !select || select.disabled || select.value) return;
      select.value = draft.reason || "";
      if (select.value) select.setAttribute("data-restored", "");  // keyboard.js's r asks before taking it
      if (note && !note.value) note.value = draft.note || "";
    });
  });
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!select.matches || !select.matches('select[name="reason_choice"]') || !select.value) return;
    select.removeAttribute("aria-invalid");
    var hint = select.closest("label") && select.closest("label").querySelector(".field-error");
    if (hint) hint.remove();
  });
  document.addEventListener("click", function (event) {
    var close = event.target.closest && event.target.closest("[data-dismiss]");
    if (!close || !close.closest(".flash")) return;
    close.closest(".flash").remove();
    // Back to the card the address names, not to the top of the page (an accessibility review).
    var card = location.hash.indexOf("#comment-") === 0 && document.getElementById(location.hash.slice(1));
    var to = card || document.querySelector("main");
    // Brought into view: focused where it lay, thousands of pixels below, no focus ring was in sight (a re-check).
    if (to) { if (!to.hasAttribute("tabindex")) to.setAttribute("tabindex", "-1"); to.focus(); if (card) card.scrollIntoView({ block: "start" }); }
  });
})();
