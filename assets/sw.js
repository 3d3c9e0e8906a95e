// The offline copy: the decide page and the glossary, with the scripts, styles and icons they use,
// kept so that a reload or a new visit with no network still shows the decision helper (with the
// contacts and who is open now, worked out on the device by hours.js) and the glossary's search.
//
// Registered by assets/offline.js as /sw.js?v=<version>, where the version changes with the
// decision content, the glossary, the partnership file and the page scripts
// (infoshare_widget/web/offline.py). A new deployment registers a new address, so a new worker
// installs, fills its own cache from the network, takes over at once (skipWaiting, clients.claim)
// and deletes every older cache: offline, nobody is shown old advice after new content is deployed.
//
// Network first for the pages and the files named without a hash: online, they go to the server as
// they would without the worker, and a copy of what the offline pages need is kept; the cache answers
// only when the network does not. The build's files under /assets/ are named after a hash of their
// content, so a name never changes content: those are answered from the copy when it has them (a
// repeat visit then waits only for the page itself), else fetched and kept. Nothing about a decision is kept: the API, the websocket, the records and sign-in pages, and
// any response marked no-store pass by untouched.
const VERSION = new URL(self.location.href).searchParams.get("v") || "unversioned";
const PREFIX = "infoshare-offline-";
const CACHE = PREFIX + VERSION;
// The pages kept for offline use (the rest of the widget needs the server).
const PAGES = ["/", "/glossary"];
// Scripts React adds to a kept page once it has drawn it, so not in the page's HTML
// (glossary/pages.py's rx.script; tests/unit/test_offline.py checks this list against it).
const ADDED_BY_REACT = ["/glossary-keys.js", "/glossary-search.js"];
// What a kept page uses: only these kinds of file are copied (never another page or any data).
const KEPT_FILE = /\.(?:js|mjs|css|svg|png|ico|woff2?|webmanifest)$/i;
// Never answered or kept by the worker (what records, signs in or changes anything).
const PASS_BY = ["/api/", "/_event", "/_upload", "/_health", "/ping", "/records", "/sign-in", "/reset-password",
  "/admin", "/access-log", "/insight", "/sw.js"];

const pagePath = (path) => (path.length > 1 ? path.replace(/\/+$/, "") : path);
const keptPage = (url) => PAGES.includes(pagePath(url.pathname));
const keepable = (response) =>
  response && response.ok && response.type === "basic" &&
  !/no-store/i.test(response.headers.get("cache-control") || "");

// A redirected answer (/glossary is answered from /glossary/) cannot answer a navigation: keep its
// content under the address asked for.
async function asKept(response) {
  if (!response.redirected) return response;
  return new Response(await response.blob(), {
    status: response.status, statusText: response.statusText, headers: response.headers,
  });
}

// The files a page links to (scripts, module preloads, stylesheets, icons, the manifest).
function linkedFiles(html) {
  const found = new Set();
  for (const match of html.matchAll(/(?:src|href)="(\/[^"/][^"]*|\/)"/g)) {
    const url = new URL(match[1], self.location.origin);
    if (KEPT_FILE.test(url.pathname) && !PASS_BY.some((p) => url.pathname.startsWith(p))) found.add(url.pathname);
  }
  return [...found];
}

async function keepPagesAndTheirFiles() {
  const cache = await caches.open(CACHE);
  const files = new Set(ADDED_BY_REACT);
  for (const path of PAGES) {
    const response = await fetch(path, { cache: "no-store", credentials: "same-origin" });
    if (!keepable(response)) throw new Error(`offline copy: ${path} answered ${response.status}`);
    const html = await response.clone().text();
    await cache.put(path, await asKept(response));
    for (const file of linkedFiles(html)) files.add(file);
  }
  await Promise.all([...files].map(async (file) => {
    const asset = await fetch(file, { credentials: "same-origin" });
    if (keepable(asset)) await cache.put(file, await asKept(asset));
  }));
}

self.addEventListener("install", (event) => {
  event.waitUntil(keepPagesAndTheirFiles().then(() => self.skipWaiting()));
});

// Every copy but this version's: deleted when this worker takes over, and again at each visit to a
// kept page (an older worker still finishing a request as this one took over may have written to its
// copy after it was deleted).
async function deleteOlderCopies() {
  for (const name of await caches.keys()) {
    if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
  }
}

// Navigation preload: the browser asks the server for a page while this worker is still starting,
// rather than after (a worker's start costs a phone tens of milliseconds on a repeat visit).
async function enablePreload() {
  try {
    await self.registration.navigationPreload?.enable();
  } catch (error) {
    // Not offered here: pages are fetched once the worker runs, as before.
  }
}

self.addEventListener("activate", (event) => {
  event.waitUntil(Promise.all([deleteOlderCopies(), enablePreload()]).then(() => self.clients.claim()));
});

async function networkFirst(request, key, preloaded) {
  try {
    const response = (await preloaded) || (await fetch(request));
    // Only into this version's copy while it exists: once a newer worker has deleted it, keep nothing.
    if (keepable(response) && (await caches.has(CACHE))) {
      const kept = await asKept(response.clone());
      (await caches.open(CACHE)).put(key, kept).catch(() => {});
    }
    return response;
  } catch (error) {
    const kept = await caches.match(key, { cacheName: CACHE });
    if (kept) return kept;
    throw error;
  }
}

async function cacheFirst(request, key) {
  const kept = await caches.match(key, { cacheName: CACHE });
  return kept || networkFirst(request, key);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || PASS_BY.some((p) => url.pathname.startsWith(p))) return;
  if (request.mode === "navigate") {
    // A kept page, by its path alone: the query and fragment do not change the page.
    if (keptPage(url)) {
      event.respondWith(networkFirst(request, pagePath(url.pathname), event.preloadResponse));
      event.waitUntil(deleteOlderCopies());
    }
    return;
  }
  if (!KEPT_FILE.test(url.pathname)) return;
  const hashed = url.pathname.startsWith("/assets/");
  event.respondWith((hashed ? cacheFirst : networkFirst)(request, url.pathname));
});
