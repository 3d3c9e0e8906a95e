// When the server could not carry out an event (the browser side of infoshare_widget/trouble/).
//
// Each event gets a number as it is sent (Reflex's onEventSend hook, before the socket sends it), and
// the last few are remembered here, in this tab's memory only. When the server cannot carry one out,
// it sends back "<number>:<kind>" (TroubleState.signal), and a banner says so at once:
//   retry   the session store was down before anything was done: the same event is sent again,
//           after 1, 2, 4, then every 5 seconds, until it gets through ("ok");
//   unsure  the store went down part-way: nothing is sent again; check before doing it again;
//   failed  another server error: the action was not completed;
//   ok      a retried event got through.
// Nothing typed on the page is touched: the banner sits above it.
window.infoshareTrouble = (() => {
  const KEEP = 50;
  const sent = new Map(); // number -> { name, payload, tries }
  const tries = new WeakMap(); // a retried event object -> its try number
  let count = 0;
  let hideTimer = null;

  const earlier = window.__reflex_otel;
  window.__reflex_otel = {
    ...(earlier || {}),
    onEventSend(event) {
      earlier?.onEventSend?.(event);
      count += 1;
      const attempt = tries.get(event) || 0;
      event.router_data = { ...(event.router_data || {}), infoshare_seq: count };
      if (attempt) event.router_data.infoshare_retry = true;
      sent.set(count, { name: event.name, payload: event.payload, tries: attempt });
      if (sent.size > KEEP) sent.delete(sent.keys().next().value);
      // The practitioner has moved on: a banner about an earlier failure no longer applies (a new
      // one comes if this fails too). A retry in progress keeps its banner until it gets through.
      const box = document.getElementById("infoshare-trouble");
      if (box && !box.hidden && (box.dataset.kind === "failed" || box.dataset.kind === "unsure")) box.hidden = true;
    },
  };

  const TEXT = {
    retry: ["The server could not do that just now.",
            "Nothing you typed is lost. It will try again by itself every few seconds until it works."],
    unsure: ["The server lost contact part-way through your last action.",
             "It may or may not have gone through. Check (for example in the records list) before you do it again. Nothing you typed is lost."],
    failed: ["Something went wrong on the server and your last action was not completed.",
             "Nothing you typed is lost. Try again. If it keeps happening, tell whoever runs the widget for your organisation."],
    ok: ["Back to normal: your last action went through.", ""],
  };

  const banner = () => {
    let box = document.getElementById("infoshare-trouble");
    if (!box) {
      box = document.createElement("div");
      box.id = "infoshare-trouble";
      box.className = "trouble no-print";
      box.setAttribute("role", "alert");
      box.innerHTML = '<p class="trouble__title"></p><p class="trouble__body"></p>';
      const page = document.querySelector(".page") || document.body;
      page.prepend(box);
    }
    return box;
  };

  const show = (kind, extra) => {
    const [title, body] = TEXT[kind];
    const box = banner();
    box.dataset.kind = kind;
    box.querySelector(".trouble__title").textContent = title;
    box.querySelector(".trouble__body").textContent = extra ? `${body} ${extra}` : body;
    box.hidden = false;
    window.clearTimeout(hideTimer);
    if (kind === "ok") hideTimer = window.setTimeout(() => { box.hidden = true; }, 8000);
  };

  const pause = (attempt) => (attempt <= 1 ? 1000 : attempt === 2 ? 2000 : attempt === 3 ? 4000 : 5000);

  return {
    signal(value, addEvents) {
      const match = /^(\d+):(retry|unsure|failed|ok)$/.exec(String(value || ""));
      if (!match) return;
      const [, number, kind] = match;
      const event = sent.get(Number(number));
      if (kind !== "retry" || !event || typeof addEvents !== "function") {
        show(kind === "retry" ? "failed" : kind);
        return;
      }
      const attempt = event.tries + 1;
      show("retry", attempt > 1 ? `(Tried ${attempt - 1} time${attempt > 2 ? "s" : ""} so far.)` : "");
      // One pause per failed event: several may be waiting at once, each retried on its own.
      window.setTimeout(() => {
        const again = { name: event.name, payload: event.payload };
        tries.set(again, attempt);
        addEvents([again]);
      }, pause(attempt));
    },
  };
})();
