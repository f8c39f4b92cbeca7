// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Filters are folded on small screens and unfolded where there is room beside the results.
  var wide = window.matchMedia("(min-width: 60rem)");
  var wasOpen = {};
  function unfold() {
    document.querySelectorAll("details[data-open-wide]").forEach(function (el) {
      if (wide.matches || wasOpen[el.id]) { el.open = true; }
    });
  }
  unfold();
  wide.addEventListener("change", unfold);
  // htmx re-renders the filters with fresh counts: keep them as open as the learner left them.
  document.addEventListener("htmx:beforeSwap", function () {
    document.querySelectorAll("details[data-open-wide]").forEach(function (el) {
      wasOpen[el.id] = el.open;
    });
  });
  document.addEventListener("htmx:afterSettle", unfold);
})();
