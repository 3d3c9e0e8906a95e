"""A stand-in for blocked browser storage, for cross-site iframes.

Chromium blocks third-party storage by default, so inside a partner's intranet page on another site
reading localStorage or sessionStorage throws SecurityError, and Reflex's frontend reads both
without a try/catch. This script runs first in the page's head: where a storage cannot be used, it
puts an in-memory one in its place (kept for the life of the page, gone on reload).
"""

STORAGE_SHIM = """(function () {
  function usable(name) {
    try { var s = window[name]; s.setItem("__infoshare", "1"); s.removeItem("__infoshare"); return true; }
    catch (e) { return false; }
  }
  function memory() {
    var data = new Map();
    return {
      getItem: function (k) { return data.has(String(k)) ? data.get(String(k)) : null; },
      setItem: function (k, v) { data.set(String(k), String(v)); },
      removeItem: function (k) { data.delete(String(k)); },
      clear: function () { data.clear(); },
      key: function (i) { return Array.from(data.keys())[i] ?? null; },
      get length() { return data.size; }
    };
  }
  ["localStorage", "sessionStorage"].forEach(function (name) {
    if (!usable(name)) {
      try { Object.defineProperty(window, name, { value: memory(), configurable: true }); } catch (e) {}
    }
  });
})();"""
