// A form marked data-confirm="question" asks before it submits. The CSP forbids inline handlers
// (onsubmit="return confirm(...)" is silently ignored), so the question lives in the markup.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var question = event.target.getAttribute && event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  });
})();
