// ThottoPilot service worker: pages network-first (offline page when unreachable),
// fingerprinted /static/ files cache-first (their URL changes when they do), form posts
// made offline kept in IndexedDB and sent when the connection returns, and web push.
"use strict";
var CONFIG = /*CONFIG*/{};
var CACHE = "tp-" + CONFIG.version;
var DB = "tp-offline", STORE = "posts", SYNC_TAG = "tp-replay";

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return cache.addAll(CONFIG.precache);
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("tp-") === 0 && name !== CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

// ---- the offline queue: form posts kept while offline, sent when back -------------
function openDb() {
  return new Promise(function (resolve, reject) {
    var req = indexedDB.open(DB, 1);
    req.onupgradeneeded = function () {
      req.result.createObjectStore(STORE, {keyPath: "id", autoIncrement: true});
    };
    req.onsuccess = function () { resolve(req.result); };
    req.onerror = function () { reject(req.error); };
  });
}

function withStore(mode, work) {
  return openDb().then(function (db) {
    return new Promise(function (resolve, reject) {
      var tx = db.transaction(STORE, mode), result;
      Promise.resolve(work(tx.objectStore(STORE))).then(function (value) { result = value; });
      tx.oncomplete = function () { db.close(); resolve(result); };
      tx.onerror = function () { db.close(); reject(tx.error); };
    });
  });
}

function request(req) {
  return new Promise(function (resolve, reject) {
    req.onsuccess = function () { resolve(req.result); };
    req.onerror = function () { reject(req.error); };
  });
}

function queueable(url) {
  return CONFIG.queueable.some(function (pattern) { return new RegExp(pattern).test(url.pathname); });
}

function keep(req) {
  return req.text().then(function (body) {
    var item = {url: req.url, body: body, at: Date.now(),
                type: req.headers.get("Content-Type") || "application/x-www-form-urlencoded"};
    return withStore("readwrite", function (store) { return request(store.add(item)); });
  }).then(function () {
    if (self.registration.sync) {
      self.registration.sync.register(SYNC_TAG).catch(function () {});
    }
    return caches.match(CONFIG.saved);
  });
}

function tell(ok, message) {
  return self.clients.matchAll({type: "window"}).then(function (list) {
    list.forEach(function (client) {
      client.postMessage({type: "replayed", ok: ok, message: message});
    });
  });
}

var replaying = null;
// A replay asked for while one runs (the page's "online" beside Background Sync) runs
// again after it: the running one may be failing on a connection not yet back.
var replayAgain = false;

function sendOne(item) {
  return fetch(item.url, {method: "POST", body: item.body, credentials: "same-origin",
                          headers: {"Content-Type": item.type}, redirect: "manual"})
    .then(function (response) {
      if (response.status >= 500) { throw new Error("server " + response.status); }
      return withStore("readwrite", function (store) { return request(store.delete(item.id)); })
        .then(function () {
          var done = response.type === "opaqueredirect" ||
            (response.status >= 200 && response.status < 400);
          var text = done ? CONFIG.texts.sent : response.status === 403 ?
            CONFIG.texts.expired : response.status === 401 ? CONFIG.texts.signin :
            CONFIG.texts.refused;
          return tell(done, text);
        });
    });
}

function replay() {
  if (replaying) { replayAgain = true; return replaying; }
  replayAgain = false;
  replaying = withStore("readonly", function (store) { return request(store.getAll()); })
    .then(function (items) {
      return items.reduce(function (chain, item) {
        return chain.then(function () { return sendOne(item); });
      }, Promise.resolve());
    })
    .catch(function () { /* still offline or the server is down: kept for next time */ })
    .then(function () {
      replaying = null;
      if (replayAgain) { return replay(); }
    });
  return replaying;
}

self.addEventListener("sync", function (event) {
  if (event.tag === SYNC_TAG) { event.waitUntil(replay()); }
});

self.addEventListener("message", function (event) {
  if (event.data && event.data.type === "replay") { event.waitUntil(replay()); }
});

// ---- fetch ------------------------------------------------------------------------
self.addEventListener("fetch", function (event) {
  var req = event.request;
  var url = new URL(req.url);
  if (url.origin !== self.location.origin) { return; }
  if (req.method === "POST") {
    if (req.mode === "navigate" && queueable(url)) {
      var copy = req.clone();
      event.respondWith(fetch(req).catch(function () { return keep(copy); }));
    }
    return;
  }
  if (req.method !== "GET") { return; }
  if (url.pathname.indexOf(CONFIG.static) === 0) {
    event.respondWith(caches.match(req).then(function (hit) {
      return hit || fetch(req).then(function (response) {
        if (response.ok) {
          var copy = response.clone();
          caches.open(CACHE).then(function (cache) { cache.put(req, copy); });
        }
        return response;
      });
    }));
    return;
  }
  if (req.mode === "navigate") {
    // Pages are personal and change: never cache them, fall back to the offline page.
    // A page that loads means we're online: send anything kept meanwhile.
    event.respondWith(fetch(req).then(function (response) {
      event.waitUntil(replay());
      return response;
    }).catch(function () {
      return caches.match(CONFIG.offline);
    }));
  }
});

// ---- web push -----------------------------------------------------------------------
self.addEventListener("push", function (event) {
  var data = {};
  try { data = event.data ? event.data.json() : {}; } catch (e) { data = {}; }
  event.waitUntil(self.registration.showNotification(data.title || "ThottoPilot", {
    body: data.body || "", tag: data.tag, icon: CONFIG.icon, badge: CONFIG.icon,
    data: {url: data.url || CONFIG.open}
  }));
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var target = new URL((event.notification.data && event.notification.data.url) ||
                       CONFIG.open, self.location.origin);
  if (target.origin !== self.location.origin) { target = new URL(CONFIG.open, self.location.origin); }
  function open() { return self.clients.openWindow(target.href); }
  event.waitUntil(self.clients.matchAll({type: "window", includeUncontrolled: true})
    .then(function (list) {
      for (var i = 0; i < list.length; i += 1) {
        var win = list[i];
        if (new URL(win.url).origin === target.origin && "focus" in win) {
          // navigate() rejects for a window this worker doesn't control (which
          // includeUncontrolled finds, e.g. one opened before it took over): then open
          // the target in a window of its own, as with none open. Not focus() first: a
          // click lets the worker focus or open a window once, and the target is what
          // was asked for. A null result (not ours to focus) also gets its own window.
          return win.navigate(target.href).then(function (client) {
            return client ? client.focus() : open();
          }, open);
        }
      }
      return open();
    }));
});
