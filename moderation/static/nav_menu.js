// An admin's top-bar links fold under "Menu" on a narrow window: seven of them took four lines of a
// 1366x768 laptop at 200 % (683x384 px), a third of the screen above every page. The <details> is
// open in the markup, so without this script the links wrap in the bar as before; on a wide window it
// stays open and its summary hidden (moderation.css, whose query is this one's).
(function () {
  "use strict";
  var narrow = window.matchMedia("(max-width: 960px)");

  function menus() {
    return document.querySelectorAll("details[data-nav-menu]");
  }

  function fit() {
    menus().forEach(function (menu) {
      menu.classList.add("menu-ready");
      menu.open = !narrow.matches;
    });
  }

  // Opened over the page, it closes as a menu does: Escape (back to its button) or a click elsewhere.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !narrow.matches) return;
    menus().forEach(function (menu) {
      if (!menu.open || !menu.contains(document.activeElement)) return;
      menu.open = false;
      menu.querySelector("summary").focus();
      event.stopPropagation();
    });
  }, true);
  // Tabbing out of it, or a page's own key (the queue's j), folds it too: left open, it covered the
  // control that had focus next (the queue's "Keyboard shortcuts" button: a re-check).
  document.addEventListener("focusin", function (event) {
    if (!narrow.matches) return;
    menus().forEach(function (menu) {
      if (menu.open && !menu.contains(event.target)) menu.open = false;
    });
  });
  document.addEventListener("keydown", function (event) {
    if (!narrow.matches || event.key === "Tab" || event.key === "Shift") return;
    menus().forEach(function (menu) {
      if (menu.open && !menu.contains(document.activeElement)) menu.open = false;
    });
  });
  document.addEventListener("click", function (event) {
    if (!narrow.matches) return;
    menus().forEach(function (menu) {
      if (menu.open && !menu.contains(event.target)) menu.open = false;
    });
  });

  document.addEventListener("DOMContentLoaded", fit);
  narrow.addEventListener("change", fit);
})();
