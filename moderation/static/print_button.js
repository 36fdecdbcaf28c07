// "Print or save as PDF" on a page meant to be printed (the author's file): the browser's own dialog.
// A file, not inline script: the CSP allows none.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) window.print();
  });
})();
