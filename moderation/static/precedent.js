// A card's precedent is fetched the first time its <details data-src> opens (by click, keyboard or
// script): finding the nearest decided comments costs about a millisecond per card, too much to pay
// on every card of a fifty-card page (see moderation/domain/precedent.py). The fragment is rendered
// and escaped by the server; a file, not inline script, because of the Content-Security-Policy.
document.addEventListener("toggle", function (event) {
  var details = event.target;
  if (!(details instanceof HTMLDetailsElement) || !details.open || !details.dataset.src || details.dataset.loaded) {
    return;
  }
  details.dataset.loaded = "loading";
  var body = details.querySelector(".precedent-body");
  fetch(details.dataset.src, { credentials: "same-origin", headers: { Accept: "text/html" } })
    .then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.text();
    })
    .then(function (html) {
      body.innerHTML = html;
      if (window.showLocalTimes) window.showLocalTimes(body);  // its times read as the card's do, not in UTC
      details.dataset.loaded = "yes";
    })
    .catch(function () {
      body.textContent = "Precedent could not be loaded; close and open again to retry.";
      delete details.dataset.loaded;
    });
}, true);  // toggle does not bubble: listen while it travels down instead
