// The player's one script: tells the server when a video was watched to 90 % or its
// transcript opened. Everything else on the page works without it.
(function () {
  "use strict";
  var token = document.querySelector("meta[name=csrf-token]");
  function report(url, body, key) {
    if (!window.fetch) { return; }
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/x-www-form-urlencoded", "X-CSRFToken": token ? token.content : ""},
      body: body
    }).then(function (response) {
      var mark = key && document.querySelector('[data-done-mark="' + key + '"]');
      if (response.ok && mark && !mark.textContent.trim()) { mark.textContent = "✓ " + (mark.dataset.doneLabel || ""); }
    });
  }
  document.querySelectorAll("[data-progress-url][data-block]").forEach(function (media) {
    var sent = false;
    media.addEventListener("timeupdate", function () {
      if (sent || !media.duration) { return; }
      var watched = 0;
      for (var i = 0; i < media.played.length; i++) { watched += media.played.end(i) - media.played.start(i); }
      var share = Math.min(watched / media.duration, 1);
      if (share >= 0.9) { sent = true; report(media.dataset.progressUrl, "watched=" + share.toFixed(3), media.dataset.block); }
    });
  });
  document.querySelectorAll("details.transcript[data-progress-url]").forEach(function (details) {
    details.addEventListener("toggle", function () {
      if (details.open && !details.dataset.sent) {
        details.dataset.sent = "1";
        var section = details.closest("[id^=bloc-]");
        report(details.dataset.progressUrl, "watched=0&transcript=1", section ? section.id.slice(5) : "");
      }
    });
  });
})();
