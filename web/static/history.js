// "Show older captions" on the history page: inserts three skeleton rows (and tells
// screen readers it is loading), fetches the next 50 rows from /history/captions as an
// HTML fragment, and swaps the skeletons for them. The fragment ends with a hidden
// `li.more[data-before]` while older captions remain; without it the button goes.
(function () {
  "use strict";
  var list = document.getElementById("captions");
  var more = document.getElementById("captions-more");
  if (!list || !more) { return; }
  var button = more.querySelector("button");
  var status = document.getElementById("captions-status");
  function marker() { return list.querySelector("li.more[data-before]"); }
  function clear(selector) {
    list.querySelectorAll(selector).forEach(function (li) { li.remove(); });
  }
  function skeletons() {
    for (var i = 0; i < 3; i++) {
      var li = document.createElement("li");
      li.className = "skeleton";
      li.setAttribute("aria-hidden", "true");
      li.innerHTML = "<span></span><span></span>";
      list.appendChild(li);
    }
  }
  function failed() {
    clear("li.skeleton");
    var li = document.createElement("li");
    li.className = "retry";
    li.setAttribute("role", "alert");
    li.textContent = more.dataset.failed;  // words from the catalogue (core/texts/site.py)
    list.appendChild(li);
    status.textContent = "";
    button.disabled = false;
  }
  button.addEventListener("click", function () {
    var last = marker();
    if (!last) { more.remove(); return; }
    button.disabled = true;
    clear("li.retry");
    skeletons();
    status.textContent = more.dataset.loading;
    var url = "/history/captions?before=" + encodeURIComponent(last.dataset.before);
    fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (res) {
        if (!res.ok || res.redirected) { throw new Error("HTTP " + res.status); }
        return res.text();
      })
      .then(function (html) {
        var rows = document.createElement("template");
        rows.innerHTML = html;
        clear("li.skeleton");
        last.remove();
        var count = rows.content.querySelectorAll("li:not(.more)").length;
        list.appendChild(rows.content);
        status.textContent = count + " older captions loaded.";
        button.disabled = false;
        if (!marker()) { more.remove(); }
      })
      .catch(failed);
  });
})();
