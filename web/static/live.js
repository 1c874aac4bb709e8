// The live launch dashboard (/admin/live): each `snapshot` event from the page's
// stream (data-stream) replaces the numbers in place; EventSource reconnects by itself.
(function () {
  "use strict";
  var box = document.getElementById("live");
  if (!box || !("EventSource" in window)) { return; }
  var status = document.getElementById("live-status");
  var source = new EventSource(box.getAttribute("data-stream"));
  function shown(el, value) {
    if (el.getAttribute("data-format") === "money") { return "$" + Number(value).toFixed(2); }
    if (el.getAttribute("data-key") === "load") { return Number(value).toFixed(2); }
    if (el.getAttribute("data-key") === "alerts") { return value.join(", ") || "none"; }
    if (el.getAttribute("data-key") === "at") {
      el.setAttribute("datetime", value);
      return String(value).slice(11, 19);
    }
    return String(value);
  }
  source.addEventListener("snapshot", function (event) {
    var data;
    try { data = JSON.parse(event.data); } catch (e) { return; }
    box.querySelectorAll("[data-key]").forEach(function (el) {
      var key = el.getAttribute("data-key");
      if (key in data) { el.textContent = shown(el, data[key]); }
    });
    status.textContent = "live";
  });
  source.addEventListener("bye", function () {
    status.textContent = "the server is restarting; reconnecting…";
  });
  source.onerror = function () { status.textContent = "reconnecting…"; };
})();
