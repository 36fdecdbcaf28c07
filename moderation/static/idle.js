// Idle sign-out (SESSION_IDLE_MINUTES, auth.py) warned no one: a moderator who had typed a note
// pressed Reject after the limit and lost it to a "Form expired" page. Five minutes before the
// limit a message offers to stay signed in (one request the server counts as use); at the limit it
// says the session has ended and links to sign in. Before either it asks the server how long is
// left (/session, which does not count as use): the user's other tabs may have used the session
// since this page arrived, and a tab's own clock said "signed out" while another was in use.
(function () {
  "use strict";
  var WARN_BEFORE_MS = 5 * 60 * 1000;
  var minutes = Number(document.body.dataset.idleMinutes);
  if (!minutes) return;
  var limit = minutes * 60 * 1000, started = Date.now(), toast = null, timers = [], ticking = null;
  var returnTo = null;  // where the focus was when the warning came: pressing its button sends it back there

  function announce(text) {
    var region = document.getElementById("announce-alert");
    if (region) region.textContent = text;
  }

  function show(text, action, heard) {
    if (!toast) {
      toast = document.createElement("p");
      toast.className = "flash flash-warning idle-warning";
      document.querySelector(".toasts").appendChild(toast);
    }
    toast.textContent = "";
    var words = document.createElement("span");
    words.textContent = text + " ";
    toast.appendChild(words);
    toast.appendChild(action);
    announce(heard || text);
  }

  // The button is at the foot of the window but far in Tab order (40 Tabs from the eighth card: an
  // accessibility review), so a key presses it, and the warning says which.
  document.addEventListener("keydown", function (event) {
    if (!event.altKey || !event.shiftKey || event.ctrlKey || event.metaKey || event.code !== "KeyS") return;
    var stay = toast && toast.querySelector("[data-stay]");
    if (stay) { event.preventDefault(); stay.click(); }
  });

  function warn() {
    returnTo = document.activeElement;
    var stay = document.createElement("button");
    stay.type = "button";
    stay.className = "link-button";  // the accent colour: "link" is the top bar's white, 1.1:1 on the toast
    stay.textContent = "Stay signed in";
    stay.setAttribute("data-stay", "");
    stay.setAttribute("aria-keyshortcuts", "Alt+Shift+S");
    stay.addEventListener("click", function () {
      fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then(function (response) { if (response.ok && !response.redirected) restart(); else signedOut(); })
        .catch(function () { /* the server is unreachable: the next try, or the limit, tells */ });
    });
    show(minutesLeft(), stay, minutesLeft() + " Alt+Shift+S stays signed in.");
    // Counted down while it shows: it said "5 minutes" to the last minute (a moderator's walk).
    var said = toast.firstChild;
    clearInterval(ticking);
    ticking = setInterval(function () {
      if (!toast || !toast.contains(said)) return clearInterval(ticking);
      said.textContent = minutesLeft() + " ";
    }, 15 * 1000);
  }

  function minutesLeft() {
    var left = Math.max(1, Math.ceil((limit - (Date.now() - started)) / 60000));
    return "You will be signed out in " + left + " minute" + (left === 1 ? "" : "s") + " for not using this page.";
  }

  function signedOut() {
    var link = document.createElement("a");
    link.href = "/login?next=" + encodeURIComponent(window.location.pathname + window.location.search);
    link.textContent = "Sign in again";
    link.target = "_blank";  // in a new tab: this one keeps what was typed, to copy over
    link.rel = "noopener";
    show("You were signed out after " + (minutes >= 60 ? minutes / 60 + " hours" : minutes + " minutes") +
         " without using this page; anything you typed here is still on the page, to copy.", link);
  }

  function restart() {
    // Pressed, the button went with its toast and the focus fell to the page's start, far from the
    // card the moderator had been on (left from an accessibility review).
    var focusWasHere = toast && toast.contains(document.activeElement);
    if (toast) { toast.remove(); toast = null; }
    if (focusWasHere) {
      var back = returnTo && document.contains(returnTo) && returnTo !== document.body ? returnTo
        : document.querySelector("main");
      if (back === document.querySelector("main") && !back.hasAttribute("tabindex")) back.setAttribute("tabindex", "-1");
      back.focus();
    }
    var polite = document.getElementById("announce-polite");
    if (polite) polite.textContent = "You stay signed in.";
    started = Date.now();
    schedule();
  }

  function schedule() {
    timers.forEach(clearTimeout);
    timers = [setTimeout(function () { check(warn); }, Math.max(0, limit - WARN_BEFORE_MS - (Date.now() - started))),
              setTimeout(function () { check(signedOut); }, Math.max(0, limit - (Date.now() - started)))];
  }

  // What the server says is left decides: used meanwhile in another tab, the clock starts over
  // from that use; signed out there, this tab says so.
  function check(then) {
    fetch("/session", { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (response.status === 401) return signedOut();
        if (!response.ok) return then();
        return response.json().then(function (state) {
          started = Date.now() - (limit - state.seconds_left * 1000);  // when the session was last used
          var due = started + limit - (then === warn ? WARN_BEFORE_MS : 0);
          if (Date.now() >= due - 1000) return then();
          if (toast) { toast.remove(); toast = null; }  // used in another tab meanwhile
          schedule();
        });
      })
      .catch(function () { then(); });  // the server is out of reach: this tab's clock is all there is
  }

  schedule();
})();
