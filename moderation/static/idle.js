// Idle sign-out (SESSION_IDLE_MINUTES, auth.py) warned no one: a moderator who had typed a note
// pressed Reject after the limit and lost it to a "Form expired" page. Five minutes before the
// limit a message offers to stay signed in (one request the server counts as use); at the limit it
// says the session has ended and links to sign in. The clock starts when the page arrives, the last
// request the server counted.
(function () {
  "use strict";
  var WARN_BEFORE_MS = 5 * 60 * 1000;
  var minutes = Number(document.body.dataset.idleMinutes);
  if (!minutes) return;
  var limit = minutes * 60 * 1000, started = Date.now(), toast = null, timers = [];

  function announce(text) {
    var region = document.getElementById("announce-alert");
    if (region) region.textContent = text;
  }

  function show(text, action) {
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
    announce(text);
  }

  function warn() {
    var stay = document.createElement("button");
    stay.type = "button";
    stay.className = "link-button";  // the accent colour: "link" is the top bar's white, 1.1:1 on the toast
    stay.textContent = "Stay signed in";
    stay.addEventListener("click", function () {
      fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then(function (response) { if (response.ok && !response.redirected) restart(); else signedOut(); })
        .catch(function () { /* the server is unreachable: the next try, or the limit, tells */ });
    });
    var left = Math.max(1, Math.ceil((limit - (Date.now() - started)) / 60000));
    show("You will be signed out in " + left + " minute" + (left === 1 ? "" : "s") + " for not using this page.", stay);
  }

  function signedOut() {
    var link = document.createElement("a");
    link.href = "/login?next=" + encodeURIComponent(window.location.pathname + window.location.search);
    link.textContent = "Sign in again";
    show("You were signed out after " + (minutes >= 60 ? minutes / 60 + " hours" : minutes + " minutes") +
         " without using this page; anything you typed here is still on the page.", link);
  }

  function restart() {
    timers.forEach(clearTimeout);
    if (toast) { toast.remove(); toast = null; }
    started = Date.now();
    schedule();
  }

  function schedule() {
    timers = [setTimeout(warn, Math.max(0, limit - WARN_BEFORE_MS - (Date.now() - started))),
              setTimeout(signedOut, Math.max(0, limit - (Date.now() - started)))];
  }

  schedule();
})();
