// Selects marked data-autosubmit submit their form when a choice is made with the mouse. From the
// keyboard, arrow keys change a closed select's value as they go, so submitting on each change
// reloaded the page on the first arrow and the other sites could not be reached (WCAG 3.2.2):
// there a choice is submitted with Enter (or the form's button), and Esc puts back the one shown.
// A file, not an onchange attribute, because the Content-Security-Policy allows no inline script.
(function () {
  "use strict";
  var keyed = null;  // the select the keyboard changed, not yet submitted
  function autosubmit(target) { return target.matches && target.matches("select[data-autosubmit]"); }

  document.addEventListener("focusin", function (event) {
    if (autosubmit(event.target)) event.target.dataset.shown = event.target.value;
  });
  // Capturing, so Esc is seen here before the review keys take the focus back to the card.
  document.addEventListener("keydown", function (event) {
    var select = event.target;
    if (!autosubmit(select)) return;
    if (event.key === "Enter") {
      event.preventDefault();
      select.form.submit();
    } else if (event.key === "Escape") {
      select.value = select.dataset.shown;
      keyed = null;
    } else if (event.key !== "Tab") {
      keyed = select;
    }
  }, true);
  document.addEventListener("change", function (event) {
    if (autosubmit(event.target) && keyed !== event.target) event.target.form.submit();
  });
})();
