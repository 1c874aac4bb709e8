// Registers the service worker and shows the offline notice; nothing else runs here.
(function () {
  "use strict";
  var note = document.getElementById("offline");
  function show() { if (note) { note.hidden = navigator.onLine; } }
  window.addEventListener("online", show);
  window.addEventListener("offline", show);
  show();
  if ("serviceWorker" in navigator) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register("/sw.js").catch(function () {});
    });
  }
  // A "saved" notice moves focus to itself so screen readers announce the result.
  var result = document.querySelector("[data-result]");
  if (result) { result.focus(); }
})();
