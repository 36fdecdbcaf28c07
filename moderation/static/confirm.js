// A form marked data-confirm="question" asks before it submits. The CSP forbids inline handlers
// (onsubmit="return confirm(...)" is silently ignored), so the question lives in the markup.
// "{scope}" in it is the chosen option's data-scope: which sites a promotion reaches.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    // The button pressed may ask its own question (bulk's Approve on a page that comes all ticked).
    var question = (event.submitter && event.submitter.getAttribute("data-confirm")) ||
      (form.getAttribute && form.getAttribute("data-confirm"));
    if (!question) return;
    var chosen = form.querySelector("select option:checked[data-scope]");
    question = question.replace("{scope}", chosen ? chosen.getAttribute("data-scope") : "");
    if (!window.confirm(question)) event.preventDefault();
  });
})();
