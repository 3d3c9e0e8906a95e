// Inside the widget's iframe: talk to the intranet page that embeds it, and only to origins the
// partnership lists (window.INFOSHARE_EMBED_ORIGINS). Sends: ready, resize (height), outcome (the
// kind), recorded (the reference), exit (Exit this page was pressed). Takes: token (the partner-signed identity), passed to the server
// through a hidden form and the websocket, never in a URL.
(() => {
  const params = new URLSearchParams(location.search);
  if (params.get("compact") === "1") document.documentElement.dataset.compact = "1";
  const accent = params.get("accent");
  if (accent && /^#[0-9a-fA-F]{6}$/.test(accent)) document.documentElement.style.setProperty("--accent", accent);
  if (window.parent === window) return;
  // Size to the content, not to the frame, so the host can shrink the frame as well as grow it.
  document.documentElement.dataset.embedded = "1";
  const allowed = window.INFOSHARE_EMBED_ORIGINS || [];
  let host = null;
  try {
    const referrer = document.referrer ? new URL(document.referrer).origin : null;
    if (allowed.includes(referrer)) host = referrer;
  } catch (e) {}
  const post = (message) => host && window.parent.postMessage(message, host);
  window.addEventListener("message", (event) => {
    if (event.source !== window.parent || !allowed.includes(event.origin)) return;
    host = host || event.origin;
    const data = event.data;
    if (data && data.type === "infoshare:token" && typeof data.token === "string") {
      const submit = () => {
        const form = document.getElementById("embed-token-form");
        if (!form || !window.__infoshareLive) return setTimeout(submit, 100);
        form.elements.token.value = data.token;
        // The page that sent it: a partner's tokens count only from that partner's own origins.
        form.elements.origin.value = event.origin;
        form.requestSubmit();
      };
      submit();
    }
  });
  document.addEventListener("infoshare:outcome", (e) => post({ type: "infoshare:outcome", kind: String(e.detail) }));
  document.addEventListener("infoshare:exit", () => post({ type: "infoshare:exit" }));
  // A decision recorded: the confirmation shows its reference; pass that on (the reference only).
  let lastReference = "";
  new MutationObserver(() => {
    const shown = document.querySelector("#record-done .reference")?.textContent || "";
    if (shown && shown !== lastReference) post({ type: "infoshare:recorded", reference: (lastReference = shown) });
  }).observe(document.documentElement, { childList: true, subtree: true, characterData: true });
  const whenLive = () => {
    if (!document.getElementById("widget-ready")) return setTimeout(whenLive, 100);
    window.__infoshareLive = true;
    // "ready" carries no data, so it may go to a parent whose origin is not known yet (a page sent
    // with no referrer); the loader then sends the token to this frame's origin only.
    if (host) post({ type: "infoshare:ready" });
    else window.parent.postMessage({ type: "infoshare:ready" }, "*");
    let last = 0;
    new ResizeObserver(() => {
      const page = document.querySelector(".page");
      const height = Math.ceil(page ? page.getBoundingClientRect().height : document.body.scrollHeight);
      if (height !== last) post({ type: "infoshare:resize", height: (last = height) });
    }).observe(document.querySelector(".page") || document.body);
  };
  whenLive();
})();
