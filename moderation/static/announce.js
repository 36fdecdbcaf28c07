// A page's flash messages ("Comment #2 approved.", "already decided by alice") reach a screen
// reader through live regions filled just after the page arrives: a region that already holds its
// text when the page loads is not read out, so a moderator heard the next comment and never whether
// the decision went through or was refused. Refusals and errors go to the assertive region.
(function () {
  "use strict";
  var DELAY_MS = 250;  // after the screen reader has taken in the new page
  // Whether single-key shortcuts are on (static/keyboard.js keeps the setting): off, "press u" is no help.
  function keysOn() { try { return window.localStorage.getItem("moderation.single-keys") !== "off"; } catch (e) { return true; } }

  document.addEventListener("DOMContentLoaded", function () {
    // A form refused: its first invalid field takes the focus, where the page did not choose one
    // (autofocus). On the site settings, thresholds and backtest pages the error was heard and the
    // field described by it, but the focus stayed at the page's start (an accessibility review).
    if (document.getElementById("form-error") && !document.querySelector("[autofocus]")) {
      var invalid = document.querySelector('[aria-invalid="true"]');
      if (invalid) invalid.focus();
    }
    var polite = document.getElementById("announce-polite"), urgent = document.getElementById("announce-alert");
    if (!polite || !urgent) return;
    var calm = [], alarming = [];
    document.querySelectorAll(".toasts .flash").forEach(function (flash) {
      var words = flash.querySelector("span");
      var text = (words ? words.textContent : flash.textContent).trim();
      if (flash.querySelector('[data-key="undo"]') && document.getElementById("keys-help")) text += keysOn() ? " Press u to undo." : " Alt+Shift+U undoes it.";
      (flash.matches(".flash-error, .flash-warning") ? alarming : calm).push(text);
    });
    // A page's own outcome drawn with it (a bulk decision's heading, a form's error): heard as a flash is.
    document.querySelectorAll("[data-announce]").forEach(function (el) {
      (el.getAttribute("data-announce") === "alert" ? alarming : calm).push(el.textContent.replace(/\s+/g, " ").trim());
    });
    if (!calm.length && !alarming.length) return;
    setTimeout(function () {
      polite.textContent = calm.join(" ");
      urgent.textContent = alarming.join(" ");
    }, DELAY_MS);
  });
})();
