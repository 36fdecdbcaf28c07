// Bulk selection: keeps the bulk bar's count and its "all" box in step with the ticked cards, and
// disables the buttons while nothing is ticked. A file, not inline script: the CSP allows none.
// Each bar counts its own boxes (those of its form): the author page has one for held comments and
// one to take published ones down, and a tick in one must not arm the other's Reject.
(function () {
  "use strict";
  if (window.bulkBarsReady) return;  // one bar's macro includes this file each time
  window.bulkBarsReady = true;
  var BOX = 'input[type=checkbox][data-key="select"]';

  function boxes(bar) {
    return Array.prototype.slice.call(document.querySelectorAll(BOX)).filter(function (box) { return !bar || box.form === bar; });
  }

  function update() {
    document.querySelectorAll("form.bulk-bar").forEach(function (bar) {
      var all = boxes(bar);
      var ticked = all.filter(function (box) { return box.checked; }).length;
      bar.querySelectorAll("[data-bulk-count]").forEach(function (el) { el.textContent = ticked + " selected"; });
      bar.querySelectorAll("[data-bulk-all]").forEach(function (el) {
        el.checked = all.length > 0 && ticked === all.length;
        el.indeterminate = ticked > 0 && ticked < all.length;
      });
      document.querySelectorAll('[data-bulk-jump="' + bar.id + '"]').forEach(function (el) {
        el.hidden = ticked === 0;
        el.textContent = ticked + " selected: to the bar ↑";
      });
      bar.querySelectorAll("button[name=action]").forEach(function (button) {
        button.disabled = ticked === 0;
      });
      // Nothing ticked: a phone shows the bar as one line (moderation.css), not its reason and buttons.
      bar.classList.toggle("none-ticked", ticked === 0);
    });
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches("[data-bulk-all]")) {
      boxes(target.form).forEach(function (box) { box.checked = target.checked; });
    }
    if (target.matches("[data-bulk-all], " + BOX)) { update(); }
  });
  // Come back with the browser's Back, Chromium restored the ticks by position onto the cards that
  // had moved up, with the reason and "and their authors: banned", while the count said "0 selected":
  // one more tick rejected and banned two comments no one chose (a night shift's walk). A page come
  // back to starts with its bar as served and nothing ticked, the "all matching" confirmation too:
  // reset to as served, that page ticked again the one comment the moderator had left out (a
  // re-check). A first load is left alone, so a tick made before it ends stays.
  window.addEventListener("pageshow", function (event) {
    var navigation = (performance.getEntriesByType && performance.getEntriesByType("navigation")[0]) || {};
    if (event.persisted || navigation.type === "back_forward" || navigation.type === "reload") {
      document.querySelectorAll("form.bulk-bar").forEach(function (bar) { bar.reset(); });
      boxes().forEach(function (box) { box.checked = false; });
      update();
    }
  });
  // The focused control is scrolled clear of the sticky bar by the bar's own height: the style sheet's
  // 9rem was less than the bar wrapped to three rows (about 190 px at 800 CSS px wide), and a card's
  // Reject and Reason were hidden under it (an accessibility review, WCAG 2.4.11).
  function padForBar() {
    var bar = document.querySelector("form.bulk-bar");
    if (!bar) return;
    var sticky = window.getComputedStyle(bar).position === "sticky";
    document.documentElement.style.scrollPaddingTop = sticky ? (bar.offsetHeight + 16) + "px" : "";
  }
  window.addEventListener("resize", padForBar);
  document.addEventListener("DOMContentLoaded", function () {
    var bar = document.querySelector("form.bulk-bar");
    if (bar && window.ResizeObserver) new ResizeObserver(padForBar).observe(bar);
    padForBar();
  });
  // Other scripts (the keyboard's "select") may tick boxes without a change event; they can ask.
  document.addEventListener("bulk:update", update);
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", update); } else { update(); }
})();
