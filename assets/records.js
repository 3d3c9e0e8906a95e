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
