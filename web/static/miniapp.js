// Inside Telegram: sign in with initData once, follow Telegram's theme, wire Back.
(function () {
  "use strict";
  var tg = window.Telegram && window.Telegram.WebApp;
  if (!tg) { return; }
  var vars = {bg_color: "--bg", text_color: "--ink", hint_color: "--muted",
              link_color: "--brand", button_color: "--brand", secondary_bg_color: "--soft"};
  function theme() {
    var params = tg.themeParams || {};
    Object.keys(vars).forEach(function (key) {
      if (params[key]) { document.documentElement.style.setProperty(vars[key], params[key]); }
    });
  }
  theme();
  tg.onEvent("themeChanged", theme);
  tg.ready();
  if (location.pathname !== "/app" && history.length > 1) {
    tg.BackButton.show();
    tg.BackButton.onClick(function () { history.back(); });
  }
  if (location.pathname !== "/app") { return; }
  fetch("/auth/webapp", {method: "POST", body: tg.initData, credentials: "same-origin",
                         headers: {"Content-Type": "text/plain"}})
    .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
    .then(function (data) { location.replace(data.next); })
    .catch(function () {
      document.getElementById("miniapp-status").hidden = true;
      document.getElementById("miniapp-failed").hidden = false;
    });
})();
