// "Exit this page" and the contrast control, as the GOV.UK Design System does them. Inlined in the
// head of every page, so both work from the first paint, before React and without the server.
//
// Exit: the button, or Shift pressed three times, hides the widget at once, forgets the decision's
// answers and its place in the history, signs out (the session ends on the server by a beacon sent
// as the page goes, and the tab forgets its secret and its Reflex token), and goes to a neutral page
// (replacing this one in the history). A page brought back from the browser's back-forward cache
// after Exit loads afresh, so Back shows nothing it showed. Embedded, it tells the intranet page
// instead (embed-frame.js sends "exit"), whose loader blanks the frame unless the page handles it.
// Contrast: "High contrast" (aria-pressed) is remembered on this device (localStorage, or the
// stand-in where a frame's storage is blocked); `prefers-contrast: more` gives the same colours.
(() => {
  if (window.infoshareSafety) return;
  const root = document.documentElement;
  const KEY = "infoshare-contrast";
  const store = () => {
    try {
      return window.localStorage;
    } catch (e) {
      return null;
    }
  };
  const high = () => {
    try {
      return store()?.getItem(KEY) === "high";
    } catch (e) {
      return false;
    }
  };
  function showContrast(on) {
    if (on) root.dataset.contrast = "high";
    else delete root.dataset.contrast;
    for (const button of document.querySelectorAll("[data-contrast-toggle]")) {
      button.setAttribute("aria-pressed", on ? "true" : "false");
    }
  }
  function toggleContrast() {
    const on = !high();
    try {
      if (on) store()?.setItem(KEY, "high");
      else store()?.removeItem(KEY);
    } catch (e) {}
    showContrast(on);
  }

  const SESSION_KEY = "infoshare-session"; // assets/records.js keeps the secret under it
  const tabStore = () => {
    try {
      return window.sessionStorage;
    } catch (e) {
      return null;
    }
  };
  function signOut() {
    let secret = "";
    try {
      secret = window.infoshareSession?.get() || tabStore()?.getItem(SESSION_KEY) || "";
    } catch (e) {}
    if (secret) {
      const sent = navigator.sendBeacon?.("/api/v1/session/end", secret);
      if (!sent) {
        try {
          fetch("/api/v1/session/end", { method: "POST", body: secret, keepalive: true });
        } catch (e) {}
      }
    }
    window.infoshareSession?.clear();
    try {
      tabStore()?.removeItem(SESSION_KEY);
    } catch (e) {}
    // Reflex's own token for this tab's state (assets/compat/reflex.js, inlined before this).
    window.infoshareReflex?.forgetTab();
  }

  function exit(destination) {
    root.dataset.exited = "1"; // the stylesheet hides everything at once
    window.infoshareFlow?.forget();
    signOut();
    document.dispatchEvent(new CustomEvent("infoshare:exit"));
    if (window.parent !== window) return; // embedded: the intranet page decides what shows instead
    location.replace(destination || "https://www.bbc.co.uk/weather");
  }
  const exitLink = () => document.querySelector("[data-exit-page]");

  document.addEventListener(
    "click",
    (event) => {
      const exitControl = event.target.closest?.("[data-exit-page]");
      if (exitControl) {
        event.preventDefault();
        event.stopPropagation();
        exit(exitControl.href);
        return;
      }
      if (event.target.closest?.("[data-contrast-toggle]")) {
        event.preventDefault();
        event.stopPropagation();
        toggleContrast();
      }
    },
    true,
  );

  // Shift three times (within 5 seconds, nothing else pressed between): exit.
  let presses = 0;
  let timer = 0;
  const announce = (text) => {
    const status = document.querySelector("[data-exit-status]");
    if (status) status.textContent = text;
  };
  document.addEventListener(
    "keyup",
    (event) => {
      if (event.key !== "Shift") {
        presses = 0;
        return;
      }
      presses += 1;
      clearTimeout(timer);
      timer = setTimeout(() => {
        presses = 0;
        announce("Exit this page expired.");
      }, 5000);
      if (presses >= 3) {
        presses = 0;
        clearTimeout(timer);
        exit(exitLink()?.href);
      } else {
        announce(`Shift, press ${3 - presses} more time${3 - presses === 1 ? "" : "s"} to exit.`);
      }
    },
    true,
  );

  // Back after Exit: a page the browser kept in memory would show what it showed; load it afresh
  // (the session has ended, so a records page asks for a sign-in).
  window.addEventListener("pageshow", (event) => {
    if (event.persisted && root.dataset.exited === "1") location.reload();
  });

  showContrast(high());
  document.addEventListener("DOMContentLoaded", () => showContrast(high()), { once: true });
  window.infoshareSafety = { exit, showContrast: () => showContrast(high()) };
})();
