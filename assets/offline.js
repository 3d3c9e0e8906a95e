// Offline use, inlined in every page's head (infoshare_widget/web/offline.py).
//
// The line that says the widget is offline: the page frame carries it (hidden by the stylesheet),
// and the page is marked offline (<html data-offline>) whenever the browser says it has no network,
// at load and as it changes, so the line shows from the first paint.
//
// The offline copy: once the page has loaded, it registers the worker (assets/sw.js) under this
// content's version, so a new deployment replaces the copy at once. Where the browser does not allow
// a worker (a cross-site frame with its storage blocked, a private window, an old browser), nothing
// is registered and nothing is said: the widget works as before, online.
(() => {
  if (window.infoshareOffline) return;
  const root = document.documentElement;
  const show = () => {
    if (navigator.onLine === false) root.dataset.offline = "1";
    else delete root.dataset.offline;
  };
  window.addEventListener("online", show);
  window.addEventListener("offline", show);
  show();

  function register() {
    const version = window.INFOSHARE_OFFLINE_VERSION;
    if (!version) return;
    try {
      const workers = navigator.serviceWorker;
      if (!workers || !window.isSecureContext) return;
      workers.register(`/sw.js?v=${encodeURIComponent(version)}`, { scope: "/" }).catch(() => {});
    } catch (e) {
      // A frame whose storage the browser blocks may refuse even to ask: stay online-only, quietly.
    }
  }
  if (document.readyState === "complete") register();
  else window.addEventListener("load", register, { once: true });
  window.infoshareOffline = { offline: () => navigator.onLine === false };
})();
