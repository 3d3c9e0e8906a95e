// Where the page's own scripts lean on Reflex's frontend internals (.web/utils/state.js), in one place.
// Inlined in the head of every page before the scripts that use it, so it is in place before React
// loads and before the first event. Checked against reflex 0.10.1. Contract tests:
// tests/unit/test_compat.py (test_reflex_js_*), and in the browser tests/e2e/test_faults.py.
//
// window.infoshareReflex.onEventSend(listener): listener(event, name) runs for each event the page
//   sends to the server, just before it goes (the hydrate event the socket connects with included);
//   `event` is only to be kept (for again()), `name` is the handler's ("<state>.<handler>"). What it
//   returns (an object) is added to the event's router_data, which the server reads as the event's
//   router data. Why: assets/trouble.js numbers each event so the server can say which one failed.
//   Reflex has no public hook for this; its state.js calls window.__reflex_otel.onEventSend(event)
//   (an instrumentation hook meant for the reflex-otel plugin) after filling in the event's
//   router_data and before the socket sends it. The hook is taken over here, calling any hook that
//   was there first.
// window.infoshareReflex.again(event): a copy of a sent event, to send again with Reflex's addEvents
//   (an event is { name, payload } to addEvents; the copy is a new object, so a listener can tell it
//   apart from the first).
// window.infoshareReflex.forgetTab(): forget this tab's Reflex token (Exit this page, assets/safety.js):
//   Reflex keeps it in sessionStorage under "token" (state.js's TOKEN_KEY), and a page loaded after it
//   is gone gets a new state on the server.
window.infoshareReflex = (() => {
  const listeners = [];
  const earlier = window.__reflex_otel;
  window.__reflex_otel = {
    ...(earlier || {}),
    onEventSend(event) {
      earlier?.onEventSend?.(event);
      for (const listener of listeners) {
        const extra = listener(event, event.name);
        if (extra) event.router_data = { ...(event.router_data || {}), ...extra };
      }
    },
  };
  const TOKEN_KEY = "token";
  return {
    onEventSend(listener) {
      listeners.push(listener);
    },
    again(event) {
      return { name: event.name, payload: event.payload };
    },
    forgetTab() {
      try {
        window.sessionStorage?.removeItem(TOKEN_KEY);
      } catch (e) {}
    },
  };
})();
