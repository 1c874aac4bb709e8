// Turns web push on or off for this device (settings page, #push), and off on the
// "Signed out" page. The VAPID public key and the session's CSRF token come from the
// section's data attributes; the subscription goes to /push/subscribe as JSON. iOS asks only from a tap in an installed
// app, so permission is requested inside the click handler.
(function () {
  "use strict";
  // The "Signed out" page: the server has forgotten this device's subscription; drop it
  // in the browser too, so the next person here starts with notifications off.
  if (document.getElementById("push-signed-out")) {
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.getRegistration().then(function (registration) {
        return registration && registration.pushManager ?
          registration.pushManager.getSubscription() : null;
      }).then(function (sub) { return sub ? sub.unsubscribe() : null; })
        .catch(function () { /* nothing to undo: the server no longer sends to it */ });
    }
    return;
  }
  var box = document.getElementById("push");
  if (!box) { return; }
  var status = document.getElementById("push-status");
  // Each button sits in a wrapper that is shown or hidden (the stylesheet gives buttons
  // a display of their own, which would beat their `hidden` attribute).
  var on = document.getElementById("push-on");
  var off = document.getElementById("push-off");
  var test = document.getElementById("push-test");
  function button(box) { return box.querySelector("button"); }
  function say(text) { status.textContent = text; }
  function show(subscribed) {
    on.hidden = subscribed; off.hidden = !subscribed; test.hidden = !subscribed;
    say(subscribed ? "Notifications are on for this device." :
      "Notifications are off for this device.");
  }
  if (!("serviceWorker" in navigator) || !("PushManager" in window) ||
      !("Notification" in window)) {
    say("This browser can't show notifications from ThottoPilot. On iPhone and iPad, " +
        "add it to your Home Screen first.");
    return;
  }
  function keyBytes(text) {
    var b64 = (text + "===".slice((text.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(b64), out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i += 1) { out[i] = raw.charCodeAt(i); }
    return out;
  }
  function label() {
    var ua = navigator.userAgent, os = /iPhone|iPad/.test(ua) ? "iOS" :
      /Android/.test(ua) ? "Android" : /Mac/.test(ua) ? "Mac" : /Windows/.test(ua) ?
      "Windows" : "Linux";
    var app = /Edg\//.test(ua) ? "Edge" : /Firefox\//.test(ua) ? "Firefox" :
      /Chrome\//.test(ua) ? "Chrome" : /Safari\//.test(ua) ? "Safari" : "Browser";
    return app + " on " + os;
  }
  function post(path, body) {
    return fetch(path, {method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRF-Token": box.dataset.csrf},
      body: JSON.stringify(body)}).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) { throw friendly(data.error || "That didn't work. Try again."); }
        return data;
      });
    });
  }
  function friendly(text) { var error = new Error(text); error.friendly = true; return error; }
  // The browser's own errors (its push service unreachable, ...) are not for people.
  function failed(error) {
    say(error && error.friendly ? error.message : "Your browser couldn't set up " +
        "notifications just now (its push service didn't answer). Try again in a moment.");
  }
  navigator.serviceWorker.ready.then(function (registration) {
    registration.pushManager.getSubscription().then(function (sub) { show(!!sub); });
    button(on).addEventListener("click", function () {
      Notification.requestPermission().then(function (permission) {
        if (permission !== "granted") {
          throw friendly("Notifications are blocked for this site. Allow them in your " +
                         "browser's site settings, then try again.");
        }
        return registration.pushManager.subscribe({userVisibleOnly: true,
          applicationServerKey: keyBytes(box.dataset.vapidKey)});
      }).then(function (sub) {
        var data = sub.toJSON();
        data.label = label();
        return post("/push/subscribe", data);
      }).then(function () { show(true); }).catch(failed);
    });
    button(off).addEventListener("click", function () {
      registration.pushManager.getSubscription().then(function (sub) {
        if (!sub) { return null; }
        var endpoint = sub.endpoint;
        return sub.unsubscribe().then(function () {
          return post("/push/unsubscribe", {endpoint: endpoint});
        });
      }).then(function () { show(false); }).catch(failed);
    });
    button(test).addEventListener("click", function () {
      post("/push/test", {}).then(function (data) { say(data.message); }).catch(failed);
    });
  });
})();
