// A page showing work on its way (a signature, a batch of signatures: ADR 0009) carries
// data-poll="<seconds>": every few seconds it fetches itself and replaces its parts marked
// data-poll-region (announced by their aria-live region), until the work is done; then it shows
// the final parts, or reloads when data-poll-done="reload" (the application page, whose actions
// change). No <meta refresh>: the page is never reloaded on a timer while being read (WCAG 2.2.1).
// Without JavaScript the "Perbarui" link does the same by hand.
(function () {
  var root = document.querySelector("[data-poll]");
  if (!root || !window.fetch || !window.DOMParser) {
    return;
  }
  var seconds = parseInt(root.getAttribute("data-poll"), 10) || 3;
  function tick() {
    fetch(window.location.href, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        return response.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html");
        var busy = fresh.querySelector("[data-poll]");
        if (!busy && root.getAttribute("data-poll-done") === "reload") {
          window.location.reload();
          return;
        }
        document.querySelectorAll("[data-poll-region]").forEach(function (part) {
          var replacement = fresh.getElementById(part.id);
          if (replacement) {
            part.innerHTML = replacement.innerHTML;
          }
        });
        if (busy) {
          window.setTimeout(tick, seconds * 1000);
        } else {
          root.removeAttribute("data-poll");
        }
      })
      .catch(function () {
        window.setTimeout(tick, seconds * 2000);
      });
  }
  window.setTimeout(tick, seconds * 1000);
})();
