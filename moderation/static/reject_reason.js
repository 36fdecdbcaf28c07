// A reject needs a guideline reason (the server refuses one without). Asked here, before the form
// goes: refused by the server, the queue came back scrolled to the next card with the error out of
// sight, and a bulk bar's ticked boxes were lost. Also closes a flash on its dismiss button.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var button = event.submitter, form = event.target;
    if (!button || button.name !== "action" || button.value !== "reject") return;
    var select = form.querySelector('select[name="reason_choice"]');
    if (!select || select.value) return;
    event.preventDefault();
    select.setAttribute("aria-invalid", "true");
    var label = select.closest("label"), hint = label && label.querySelector(".field-error");
    if (label && !hint) {
      hint = document.createElement("span");
      hint.className = "field-error";
      hint.setAttribute("role", "alert");
      hint.textContent = "Pick the reason to reject.";
      label.appendChild(hint);
    }
    select.focus();
  });
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!select.matches || !select.matches('select[name="reason_choice"]') || !select.value) return;
    select.removeAttribute("aria-invalid");
    var hint = select.closest("label") && select.closest("label").querySelector(".field-error");
    if (hint) hint.remove();
  });
  document.addEventListener("click", function (event) {
    var close = event.target.closest && event.target.closest("[data-dismiss]");
    if (close && close.closest(".flash")) close.closest(".flash").remove();
  });
})();
