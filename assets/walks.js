// The partnership's optional count of walks that end, recorded or not. Inlined only where the
// partnership file turns it on (insight.count_unrecorded_walks); where it is off this script is not in
// the page and nothing is sent.
//
// What is sent, and nothing else: for each walk that ended, its outcome kind and the ids of the
// questions answered "Not sure". No answers, no times (the server notes only the UK day a batch
// arrives), no cookie (credentials: "omit"), no identity. Walks are held in memory and sent in
// batches: when 10 have ended, and when the page is hidden or closed.
(() => {
  if (window.infoshareWalks) return;
  const URL = "/api/v1/walks";
  const BATCH = 10;
  let waiting = [];

  function send() {
    if (!waiting.length) return;
    const walks = waiting.splice(0, 50);
    try {
      fetch(URL, {
        method: "POST",
        credentials: "omit",
        keepalive: true,
        cache: "no-store",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ walks }),
      }).catch(() => {});
    } catch (e) {}
  }

  document.addEventListener("infoshare:walk-end", (event) => {
    const { kind, unsure } = event.detail || {};
    if (typeof kind !== "string" || !Array.isArray(unsure)) return;
    waiting.push({ kind, unsure: [...unsure] });
    if (waiting.length >= BATCH) send();
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") send();
  });
  window.addEventListener("pagehide", send);
  window.infoshareWalks = { pending: () => waiting.length, send };
})();
