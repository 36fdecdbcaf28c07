// Parts of a page marked data-phone-fold (a <details>, open in the markup) start folded on a phone,
// where they stood between the moderator and the first comment; on a wider window they stay open
// and their summary is hidden (moderation.css). data-keep-open: open anyway (a filter is on).
(function () {
  "use strict";
  var phone = window.matchMedia("(max-width: 640px)");
  function fit() {
    document.querySelectorAll("details[data-phone-fold]").forEach(function (fold) {
      fold.open = !phone.matches || fold.hasAttribute("data-keep-open");
    });
  }
  document.addEventListener("DOMContentLoaded", fit);
  phone.addEventListener("change", fit);
})();
