// A table wider than the screen (at a phone's width) scrolls inside itself; keyboard users can only
// scroll it if it can take focus, so exactly those tables get tabindex=0 (and lose it when widened).
(function () {
  function mark() {
    document.querySelectorAll("main table").forEach(function (table) {
      var scrolls = table.scrollWidth > table.clientWidth + 1;
      if (scrolls && !table.hasAttribute("tabindex")) {
        table.tabIndex = 0;
        table.dataset.scrollRegion = "";
      } else if (!scrolls && "scrollRegion" in table.dataset) {
        table.removeAttribute("tabindex");
        delete table.dataset.scrollRegion;
      }
    });
  }
  document.addEventListener("DOMContentLoaded", mark);
  window.addEventListener("resize", mark);
})();
