// The service worker of the installable app, served at /sw.js (cells/pwa.py fills in VERSION, ASSETS and
// OFFLINE) so that its scope is the whole site.
//
// - The static files (CSS, scripts, icons) are kept at install and answered from the phone: a repeat
//   visit on a weak signal downloads only the page itself.
// - Pages are asked of the network first; each page a user opened is kept, so it opens again without a
//   network. A page never opened answers with the app's own Vietnamese offline page, never the
//   browser's error page.
// - The login page clears the kept pages: on a shared phone the next user never sees the last one's.
// - Writes (POST) go to the network; static/js/outbox.js keeps them on the phone when there is no
//   network and sends them when it returns. A form sent when the network fails on the way comes back
//   to its page (see below) instead of the browser's error page.
'use strict';
var VERSION = '__VERSION__';
var ASSETS = __ASSETS__;
var OFFLINE = '__OFFLINE__';
var STATIC_CACHE = 'chibo-static-' + VERSION;
var PAGE_CACHE = 'chibo-pages';

self.addEventListener('install', function (event) {
  event.waitUntil(
    caches.open(STATIC_CACHE).then(function (cache) { return cache.addAll(ASSETS.concat([OFFLINE])); })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener('activate', function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf('chibo-static-') === 0 && name !== STATIC_CACHE;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function isStatic(url) {
  return url.origin === self.location.origin && url.pathname.indexOf('/static/') === 0;
}

function keepPage(request, response) {
  // Only a page the user really got: not a redirect (to the login page), not an error.
  if (!response || response.status !== 200 || response.redirected || response.type !== 'basic') return;
  var type = response.headers.get('Content-Type') || '';
  if (type.indexOf('text/html') !== 0) return;
  var copy = response.clone();
  caches.open(PAGE_CACHE).then(function (cache) { cache.put(request.url.split('#')[0], copy); });
}

self.addEventListener('fetch', function (event) {
  var request = event.request;
  if (request.method === 'POST' && request.mode === 'navigate') {
    // A form sent while the phone believed it had a network, and the network failed: instead of the
    // browser's error page, back to the form (kept on the phone), where static/js/outbox.js finds the
    // copy it kept just before sending and puts it in the outbox.
    event.respondWith(fetch(request).catch(function () {
      return Response.redirect(request.url.split('#')[0] + '#chibo-offline-post', 303);
    }));
    return;
  }
  if (request.method !== 'GET') return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;

  if (isStatic(url)) {
    event.respondWith(
      caches.match(request, { ignoreSearch: false }).then(function (hit) {
        return hit || fetch(request).then(function (response) {
          if (response.ok) {
            var copy = response.clone();
            caches.open(STATIC_CACHE).then(function (cache) { cache.put(request, copy); });
          }
          return response;
        });
      })
    );
    return;
  }

  if (request.mode === 'navigate') {
    if (url.pathname === '/login/') caches.delete(PAGE_CACHE);
    event.respondWith(
      fetch(request).then(function (response) {
        if (url.pathname !== '/login/') keepPage(request, response);
        return response;
      }).catch(function () {
        return caches.open(PAGE_CACHE).then(function (cache) {
          return cache.match(request.url.split('#')[0]);
        }).then(function (hit) {
          return hit || caches.match(OFFLINE);
        });
      })
    );
    return;
  }

  // Fragments and data the pages ask for (htmx): the network, else what was kept.
  event.respondWith(
    fetch(request).catch(function () {
      return caches.match(request).then(function (hit) {
        return hit || new Response('', { status: 503, statusText: 'Offline' });
      });
    })
  );
});
