// Help centre search: filters articles as you type; Ctrl/Cmd-K jumps to the box.
(function () {
  "use strict";
  var box = document.getElementById("help-q");
  if (!box) { return; }
  var items = Array.prototype.slice.call(document.querySelectorAll("[data-article]"));
  var count = document.getElementById("help-count");
  function filter() {
    var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    items.forEach(function (item) {
      var text = item.textContent.toLowerCase();
      var hit = words.every(function (w) { return text.indexOf(w) !== -1; });
      item.hidden = !hit;
      if (hit) { shown += 1; }
    });
    if (count) { count.textContent = shown === 1 ? "1 article" : shown + " articles"; }
  }
  box.addEventListener("input", filter);
  document.addEventListener("keydown", function (event) {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "k") {
      event.preventDefault();
      box.focus();
      box.select();
    }
  });
  if (box.value) { filter(); }
})();
