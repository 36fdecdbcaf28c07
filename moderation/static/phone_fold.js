// Parts of a page marked data-phone-fold (a <details>, open in the markup) start folded on a phone,
// where they stood between the moderator and the first comment; on a wider window they stay open
// and their summary is hidden (moderation.css). data-keep-open: open anyway (a filter is on).
// A short window too: on a 1366x768 laptop at 200 % (683x384) the first card started at 460 px,
// below the first screen (an election night's lead). The style sheet's query is this one's opposite.
(function () {
  "use strict";
  var phone = window.matchMedia("(max-width: 720px), (max-height: 520px)");
  function fit() {
    document.querySelectorAll("details[data-phone-fold]").forEach(function (fold) {
      fold.open = !phone.matches || fold.hasAttribute("data-keep-open");
    });
  }
  document.addEventListener("DOMContentLoaded", fit);
  phone.addEventListener("change", fit);
})();
