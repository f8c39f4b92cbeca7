// Verification of a PDF: where the browser can hash (a secure context), only the SHA-256
// leaves the device; otherwise the form uploads the file as it would without JavaScript.
(function () {
  "use strict";
  var form = document.getElementById("document-check");
  if (!form || !window.crypto || !window.crypto.subtle || !window.FileReader) return;
  var input = form.querySelector("input[type=file]");
  var status = document.getElementById("document-status");
  var zone = form.querySelector(".drop-zone");

  function hex(buffer) {
    return Array.prototype.map.call(new Uint8Array(buffer), function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }
  function check(file) {
    status.textContent = status.getAttribute("data-working") || "…";
    file.arrayBuffer().then(function (bytes) {
      return window.crypto.subtle.digest("SHA-256", bytes);
    }).then(function (digest) {
      window.location.href = form.getAttribute("data-hash-url") + "?sha256=" + hex(digest);
    }, function () {
      form.submit();
    });
  }
  form.addEventListener("submit", function (event) {
    if (input.files && input.files[0]) {
      event.preventDefault();
      check(input.files[0]);
    }
  });
  ["dragover", "drop"].forEach(function (name) {
    zone.addEventListener(name, function (event) {
      event.preventDefault();
      if (name === "drop" && event.dataTransfer.files[0]) check(event.dataTransfer.files[0]);
    });
  });
})();
