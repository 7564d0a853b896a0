// The service worker: after one visit to a checker, the site opens and answers with the network off.
//
// One cache per build, named after the build's version (a hash of every listed file's content hash, which
// build.py writes into MANIFEST). Installing fetches every listed file and checks each one's hash, so a
// cache never holds two builds' files; activating deletes the other builds' caches. Pages and assets are
// answered from the cache of the version that is active, the network for anything not listed.
// It stores nothing else: no answers (a page's query string and fragment are never part of a cache key,
// and only the bare pages the build listed are ever put in the cache), and no response seen while browsing.

// build.py replaces this line with { version, files: { "<path relative to this script>": "<sha-256, 16 hex>" } }.
const MANIFEST = null;

const PREFIX = "warranty-checker-offline-";  // ours; any other cache (the worker's start-up snapshots) is left alone
const CACHE = PREFIX + (MANIFEST ? MANIFEST.version : "unbuilt");
const BASE = new URL("./", self.location.href);
const IMMUTABLE = "runtime/";  // versioned or content-hashed names: the browser's HTTP cache may answer
const PARALLEL = 6;

// The cache key of a request: its URL without query string or fragment.
function bare(url) {
  const copy = new URL(url);
  copy.search = "";
  copy.hash = "";
  return copy.href;
}

async function hex(buffer) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", buffer));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("").slice(0, 16);
}

async function fetchChecked(cache, path, hash) {
  const url = new URL(path, BASE).href;
  // Anything without a hashed name is asked of the server again (no-cache), so that an older copy in the
  // HTTP cache is never mistaken for this build's.
  const response = await fetch(url, { cache: path.startsWith(IMMUTABLE) ? "default" : "no-cache", credentials: "same-origin" });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  const got = await hex(await response.clone().arrayBuffer());
  // Another build's file (the server was updated while this one installs): give up, the next visit
  // installs the service worker of the build the server now has.
  if (got !== hash) throw new Error(`${url} is not the file of build ${MANIFEST.version}`);
  await cache.put(url, response);
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    if (!MANIFEST) throw new Error("sw.js was not built (build.py writes its manifest)");
    const cache = await caches.open(CACHE);
    const queue = Object.entries(MANIFEST.files);
    try {
      await Promise.all(Array.from({ length: PARALLEL }, async () => {
        while (queue.length) {
          const [path, hash] = queue.shift();
          if (!(await cache.match(new URL(path, BASE).href))) await fetchChecked(cache, path, hash);
        }
      }));
    } catch (error) {
      await caches.delete(CACHE);  // never half a version
      throw error;
    }
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
  })());
});

// A newer build waits until no page of the old one is open. A visitor who reloads the only open page asks
// for the newer build: it takes over, and from that navigation on this worker answers from the newer build's
// cache (complete: it is installed) until that one is active, so that the page is the new build's throughout.
self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "take-over") self.skipWaiting();
});

let handedOver = null;  // the newer build's cache, once it takes over

async function newerCache() {
  const registration = self.registration;
  if (!registration.waiting || registration.installing) return null;
  const newer = (await caches.keys()).filter((name) => name.startsWith(PREFIX) && name !== CACHE);
  return newer.length === 1 ? newer[0] : null;  // none, or more than one: not sure which is the newer build's
}

async function answer(event) {
  const request = event.request;
  if (!handedOver && request.mode === "navigate") {
    const pages = await self.clients.matchAll({ type: "window" });
    const newer = pages.length <= 1 ? await newerCache() : null;
    if (newer) {
      handedOver = newer;
      self.registration.waiting.postMessage({ type: "take-over" });
    }
  }
  const cache = await caches.open(handedOver || CACHE);
  const found = await cache.match(bare(request.url));
  if (found) return found;
  return fetch(request);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== BASE.origin || !url.href.startsWith(BASE.href) || request.headers.has("range")) return;
  event.respondWith(answer(event));
});
