// The records pages' browser side.
//
// The sign-in session's secret is kept in this tab only (sessionStorage; in memory where the
// browser blocks storage, as in some cross-site frames). The server keeps only its hash, and
// Reflex's State never holds it: each event that needs it reads it here and sends it along.
window.infoshareSession = (() => {
  const KEY = "infoshare-session";
  let memory = "";
  const store = () => {
    try {
      return window.sessionStorage;
    } catch (e) {
      return null;
    }
  };
  return {
    get() {
      try {
        return store()?.getItem(KEY) || memory;
      } catch (e) {
        return memory;
      }
    },
    keep(secret) {
      if (typeof secret !== "string" || !secret) return;
      memory = secret;
      try {
        store()?.setItem(KEY, secret);
      } catch (e) {}
    },
    clear() {
      memory = "";
      try {
        store()?.removeItem(KEY);
      } catch (e) {}
    },
  };
})();

// This page load's attempt token: with what a details or follow-up save says, the server makes the
// key that lets the same save, sent again (by the watchdog in trouble.js, or a second press), save
// once (records/service.py amendment_key). New on every page load.
window.infoshareAttempt = window.crypto?.randomUUID?.() ??
  Array.from(window.crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");

// One key per attempt to record a decision: the same answers on the same walk keep their key, so
// pressing "Record this decision" again after a failure (or an answer that never came) records it
// once. Other answers, or a new walk, get a new random key.
window.infoshareRecordKey = (() => {
  let last = { said: "", key: "" };
  return (answers, walk) => {
    const said = JSON.stringify([walk, answers]);
    if (said !== last.said) {
      const random = window.crypto?.randomUUID?.() ??
        Array.from(window.crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
      last = { said, key: random };
    }
    return last.key;
  };
})();

// Export: post a form to the server, which answers with the file as it streams from the database.
// The session secret goes in the form's body, never in the address.
window.infoshareExport = (format, filters) => {
  const form = document.createElement("form");
  form.method = "post";
  form.action = "/api/v1/session/records/export";
  form.hidden = true;
  // The printable subject access page opens beside the widget rather than replacing it.
  if (format === "sar-html") form.target = "_blank";
  const fields = { ...(filters || {}), format, session: window.infoshareSession.get() };
  for (const [name, value] of Object.entries(fields)) {
    const input = document.createElement("input");
    input.type = "hidden";
    input.name = name;
    input.value = String(value ?? "");
    form.append(input);
  }
  document.body.append(form);
  form.submit();
  form.remove();
};

// The details form: once the record has loaded, select the answers its path suggests, but only
// where the practitioner has not already answered (nothing they typed is replaced).
window.infoshareForm = {
  suggest(prefill) {
    const form = document.getElementById("details-form");
    if (!form || !prefill) return;
    for (const [name, value] of Object.entries(prefill)) {
      if (!value) continue;
      const field = form.elements[name];
      if (!field) continue;
      if (field instanceof RadioNodeList) {
        if (field.value) continue;
        const choice = [...field].find((input) => input.value === value);
        if (choice) choice.checked = true;
      } else if (!field.value) {
        field.value = value;
      }
    }
  },
};

// "Record when back online" (the record panel, infoshare_widget/records/pages.py). With no network,
// the panel offers to hold the decision: its answers and its key (the one "Record this decision"
// would send: infoshareRecordKey) go in this tab's sessionStorage, nothing more, and in memory where
// the browser blocks storage. When the page is live again (online, and the socket has hydrated it:
// #widget-ready), each held decision is sent once with its key, by clicking the panel's hidden
// sender (React's handler reads next() for its arguments), so the server records it once however
// often it arrives (records/service.py record_decision, client_key). The record panel tells saved()
// what the server saved, and signIn() when the tab has no session (the panel's sign-in form then
// records it). "Exit this page" (assets/safety.js, the infoshare:exit event) forgets them.
window.infoshareRecordLater = (() => {
  const KEY = "infoshare-held";
  const MAX = 20;
  const root = document.documentElement;
  let memory = [];
  let sending = ""; // the key of the decision sent and not yet answered
  let sentAt = 0;
  let mode = ""; // "sending", "signIn", or "" (the line then says how many are held)
  let recorded = ""; // the reference of the last held decision recorded, for the line
  const store = () => {
    try {
      return window.sessionStorage;
    } catch (e) {
      return null;
    }
  };
  function held() {
    try {
      const kept = store()?.getItem(KEY);
      if (kept !== null && kept !== undefined) memory = JSON.parse(kept);
      else if (store()) memory = [];
    } catch (e) {}
    return Array.isArray(memory) ? memory.filter((h) => h && typeof h.key === "string" && h.answers) : [];
  }
  function keep(list) {
    memory = list;
    try {
      if (list.length) store()?.setItem(KEY, JSON.stringify(list));
      else store()?.removeItem(KEY);
    } catch (e) {}
    show();
  }
  function text(count) {
    if (count && mode === "sending") return "Back online: recording the decision held in this tab.";
    if (count && mode === "signIn") return "Back online: sign in below to record the decision held in this tab.";
    if (count === 1) {
      return "Held in this tab: this decision will be recorded once, when the connection comes back. " +
        "Keep this tab open.";
    }
    if (count) {
      return `${count} decisions held in this tab: each will be recorded once, when the connection comes back. ` +
        "Keep this tab open.";
    }
    return recorded ? `Recorded when the connection came back. Your reference is ${recorded}.` : "";
  }
  // The line in the record panel: written once React has drawn the page (text in it before then would
  // not match what React draws, and React would draw the page again), and again each second.
  let drawn = false;
  document.addEventListener("infoshare:drawn", () => {
    drawn = true;
    show();
  });
  function show() {
    const count = held().length;
    if (count) root.dataset.recordHeld = String(count);
    else delete root.dataset.recordHeld;
    if (!drawn) return;
    const said = text(count);
    for (const line of document.querySelectorAll("[data-record-held-status]")) {
      if (line.textContent !== said) line.textContent = said;
    }
  }
  const sameAnswers = (a, b) => JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

  function hold() {
    const flow = window.infoshareFlow;
    if (!flow) return;
    const answers = flow.currentAnswers();
    const key = window.infoshareRecordKey(answers, flow.walkNumber());
    const list = held();
    if (!list.some((h) => h.key === key)) list.push({ answers, key });
    keep(list.slice(-MAX));
  }
  // The page is live and connected: send the first held decision, once per page load or reconnection.
  function tick() {
    show();
    const list = held();
    if (!list.length || navigator.onLine === false) return;
    if (sending && Date.now() - sentAt < 30000) return;
    const sender = document.getElementById("record-held-send");
    if (!sender || !document.getElementById("widget-ready")) return;
    sending = list[0].key;
    sentAt = Date.now();
    mode = "sending";
    show();
    sender.click();
  }

  document.addEventListener("click", (event) => {
    if (event.target instanceof Element && event.target.closest("[data-record-later]")) {
      event.preventDefault();
      hold();
    }
  }, true);
  document.addEventListener("infoshare:exit", () => {
    sending = "";
    mode = "";
    recorded = "";
    keep([]);
  });
  window.addEventListener("online", () => {
    sending = "";
    tick();
  });
  window.setInterval(tick, 1000);
  show();

  return {
    /** What the hidden sender sends: the first held decision, with the walk on screen if it is the same
     * decision (so its panel shows the confirmation), else -1. */
    next(walk) {
      const first = held()[0];
      if (!first) return { answers: {}, key: "", walk: -1 };
      const flow = window.infoshareFlow;
      const here = flow && sameAnswers(flow.currentAnswers(), first.answers);
      return { answers: first.answers, key: first.key, walk: here ? walk : -1 };
    },
    /** The server recorded a decision ("<key> <reference>", from the record panel): if it is one held
     * here, forget it and send the next. */
    saved(value) {
      const [key, reference] = String(value || "").split(" ");
      if (key) this.done(key, reference);
    },
    done(key, reference) {
      const list = held();
      if (!list.some((h) => h.key === key)) return; // not one held here: "Record this decision" online
      sending = "";
      mode = "";
      recorded = reference || recorded;
      keep(list.filter((h) => h.key !== key));
      if (list.length > 1) window.setTimeout(tick, 0);
    },
    /** The tab has no session: the panel asks for sign-in (RecordState.pending_key is the key of the
     * decision waiting for it), then records it. */
    signIn(key) {
      if (!key || sending !== key) return;
      sentAt = Infinity; // not sent again until the connection comes back or the page loads again
      mode = "signIn";
      show();
    },
    held,
  };
})();
