// Selects marked data-autosubmit submit their form on change. A file, not an onchange attribute,
// because the Content-Security-Policy allows no inline script.
document.addEventListener("change", function (event) {
  if (event.target.matches("select[data-autosubmit]")) {
    event.target.form.submit();
  }
});
