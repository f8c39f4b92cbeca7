// Progressive enhancement: a centre's time is also shown in the reader's own time zone
// (the browser's), when it is not the centre's. Without JavaScript the page shows the
// centre's time and UTC.
(function () {
  "use strict";
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  document.querySelectorAll("time[data-centre-zone]").forEach(function (el) {
    var out = document.getElementById(el.getAttribute("data-local-out"));
    var at = new Date(el.getAttribute("datetime"));
    if (!zone || !out || el.getAttribute("data-centre-zone") === zone || isNaN(at)) { return; }
    var text = at.toLocaleString(document.documentElement.lang || "fr", {
      weekday: "long", day: "numeric", month: "long", hour: "2-digit", minute: "2-digit",
      timeZoneName: "short"
    });
    out.textContent = out.getAttribute("data-template").replace("{time}", text);
    out.hidden = false;
  });
})();
