// Selects marked data-autosubmit submit their form when a choice is made with the mouse. From the
// keyboard, arrow keys change a closed select's value as they go, so submitting on each change
// reloaded the page on the first arrow and the other sites could not be reached (WCAG 3.2.2):
// there the choice is submitted on Enter, or when the focus leaves the select with a new value.
// A file, not an onchange attribute, because the Content-Security-Policy allows no inline script.
(function () {
  "use strict";
  var keyed = null;  // the select the keyboard changed, not yet submitted
  function autosubmit(target) { return target.matches && target.matches("select[data-autosubmit]"); }

  document.addEventListener("focusin", function (event) {
    if (autosubmit(event.target)) event.target.dataset.shown = event.target.value;
  });
  document.addEventListener("keydown", function (event) {
    if (!autosubmit(event.target)) return;
    if (event.key === "Enter") {
      event.preventDefault();
      event.target.form.submit();
    } else if (event.key !== "Tab" && event.key !== "Escape") {
      keyed = event.target;
    }
  });
  document.addEventListener("change", function (event) {
    if (autosubmit(event.target) && keyed !== event.target) event.target.form.submit();
  });
  document.addEventListener("focusout", function (event) {
    var select = event.target;
    if (select !== keyed) return;
    keyed = null;
    if (select.value !== select.dataset.shown) select.form.submit();
  });
})();
