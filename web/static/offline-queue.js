// Pages with forms that work offline (settings, queue, the "saved offline" page): when
// the connection returns, ask the service worker to send what it kept, and show what
// happened. The worker itself stores the form posts (see sw-template.js).
(function () {
  "use strict";
  if (!("serviceWorker" in navigator)) { return; }
  var box = document.getElementById("queued-status");
  function replay() {
    if (navigator.onLine && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage({type: "replay"});
    }
  }
  navigator.serviceWorker.addEventListener("message", function (event) {
    var data = event.data || {};
    if (data.type !== "replayed" || !box) { return; }
    box.textContent = data.message;
    box.className = "notice " + (data.ok ? "ok" : "bad");
    box.hidden = false;
    box.focus();
  });
  window.addEventListener("online", replay);
  navigator.serviceWorker.ready.then(replay);
})();
