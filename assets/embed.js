// InfoShare loader for intranet pages. Add, where the widget should appear:
//   <div data-infoshare-widget data-tab="decide" data-compact data-accent="#005eb8"></div>
//   <script src="https://WIDGET/embed.js" async></script>
// Options (data- attributes): tab (decide, glossary, records), compact, accent (#rrggbb),
// partnership (a label passed through), title (the iframe's title).
// API: InfoShare.widgets[0].on("ready" | "resize" | "outcome" | "recorded" | "exit", fn)
//      InfoShare.widgets[0].setToken(jwt)   (passed by postMessage to the widget's origin only)
// Exit this page: the loader blanks the frame at once, unless a handler of the element's cancelable
// "infoshare:exit" DOM event calls preventDefault() (to show something of the page's own instead).
(() => {
  const script = document.currentScript;
  const widgetOrigin = new URL(script.src).origin;
  const paths = { decide: "/", glossary: "/glossary", records: "/records" };

  function mount(element) {
    const params = new URLSearchParams();
    if (element.dataset.compact !== undefined) params.set("compact", "1");
    if (/^#[0-9a-fA-F]{6}$/.test(element.dataset.accent || "")) params.set("accent", element.dataset.accent);
    if (element.dataset.partnership) params.set("partnership", element.dataset.partnership);
    const iframe = document.createElement("iframe");
    iframe.src = `${widgetOrigin}${paths[element.dataset.tab] || "/"}${params.size ? "?" + params : ""}`;
    iframe.title = element.dataset.title || "InfoShare: may I share this information?";
    iframe.style.cssText = "display:block;width:100%;max-width:100%;height:600px;border:0";
    element.replaceChildren(iframe);
    const handlers = {};
    let ready = false;
    let pendingToken = null;
    const send = (token) => iframe.contentWindow.postMessage({ type: "infoshare:token", token }, widgetOrigin);
    window.addEventListener("message", (event) => {
      if (event.origin !== widgetOrigin || event.source !== iframe.contentWindow) return;
      const data = event.data;
      if (!data || typeof data.type !== "string" || !data.type.startsWith("infoshare:")) return;
      const name = data.type.slice("infoshare:".length);
      if (name === "resize" && Number.isFinite(data.height)) iframe.style.height = `${Math.min(data.height, 10000)}px`;
      if (name === "ready") {
        ready = true;
        if (pendingToken) send(pendingToken);
        pendingToken = null;
      }
      (handlers[name] || []).forEach((handler) => handler(data));
      if (name === "exit") {
        const exit = new CustomEvent("infoshare:exit", { bubbles: true, cancelable: true });
        if (element.dispatchEvent(exit)) iframe.src = "about:blank";
      }
    });
    return {
      element,
      iframe,
      on(name, handler) {
        (handlers[name] = handlers[name] || []).push(handler);
        return this;
      },
      setToken(token) {
        if (ready) send(token);
        else pendingToken = token;
      },
    };
  }

  const widgets = [...document.querySelectorAll("[data-infoshare-widget]")].map(mount);
  window.InfoShare = { widgets, mount };
  document.dispatchEvent(new CustomEvent("infoshare:loaded", { detail: window.InfoShare }));
})();
