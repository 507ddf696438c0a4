// The service worker of Beacon's offline forms (core/offline.js), served at /offline-worker.js
// so its scope is the whole site. It keeps only what a page asks it to keep (a form page that
// shows nobody's details) and Beacon's own static files, and answers them from its cache when
// there is no signal. Everything else, and every POST, goes to the network untouched.

const CACHE = "beacon-offline-pages-v1";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("message", (event) => {
  const path = event.data && event.data.keep;
  if (typeof path === "string" && path.startsWith("/")) {
    event.waitUntil(caches.open(CACHE).then((cache) => cache.add(path)));
  }
});

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok && new URL(request.url).pathname.startsWith("/static/")) {
      cache.put(request, response.clone());
    }
    return response;
  } catch (error) {
    const kept = await cache.match(request, { ignoreSearch: true });
    if (kept) return kept;
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin) return;
  event.respondWith(networkFirst(event.request));
});
