// Who is open now, in UK time, in the browser: fills in "Open now" / "Closed now" on contact cards
// and names the first open service above each list of contacts. The answer depends on the moment,
// not on when the page was built, so it runs here; infoshare_widget/hours.py answers the same
// question for the API, and the browser tests compare the two.
//
// window.INFOSHARE_HOURS (written by the app from the partnership file):
//   {bank_holidays: ["2026-12-25", ...], contacts: {key: {name, phone, open: {monday: [[525, 1035]], ...}}}}
(function () {
  "use strict";
  const table = window.INFOSHARE_HOURS;
  if (!table) return;
  const holidays = new Set(table.bank_holidays);
  const format = new Intl.DateTimeFormat("en-GB", {
    timeZone: "Europe/London", year: "numeric", month: "2-digit", day: "2-digit",
    weekday: "long", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  });

  /** The UK date (YYYY-MM-DD), day name and minute of the day at `moment`. */
  function inUk(moment) {
    const part = Object.fromEntries(format.formatToParts(moment).map((p) => [p.type, p.value]));
    return {
      date: `${part.year}-${part.month}-${part.day}`,
      day: part.weekday.toLowerCase(),
      minute: Number(part.hour) * 60 + Number(part.minute),
    };
  }

  /** Whether the contact under `key` is open at `moment`; null when it has no hours. */
  function openAt(key, moment) {
    const contact = table.contacts[key];
    if (!contact || !contact.open) return null;
    const uk = inUk(moment);
    const day = holidays.has(uk.date) ? "bank_holiday" : uk.day;
    return (contact.open[day] || []).some(([start, end]) => start <= uk.minute && uk.minute < end);
  }

  function update() {
    const now = new Date();
    for (const element of document.querySelectorAll("[data-open-key]")) {
      const open = openAt(element.dataset.openKey, now);
      const text = open ? "Open now" : "Closed now";
      if (element.textContent !== text) element.textContent = text;
      element.classList.toggle("contact__status--open", open === true);
      element.hidden = open === null;
    }
    for (const element of document.querySelectorAll("[data-open-first]")) {
      const key = element.dataset.openFirst.split(" ").find((k) => openAt(k, now));
      const contact = key && table.contacts[key];
      const text = contact
        ? `Open now: ${contact.name}${contact.phone ? `, ${contact.phone}` : ""}.`
        : "None of these services is open now. If a child is in danger, call 999.";
      if (element.textContent !== text) element.textContent = text;
      element.hidden = false;
    }
  }

  window.InfoShareHours = { openAt, inUk, update };
  let queued = false;
  const soon = () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; update(); });
  };
  // Change nothing React has not hydrated yet (that would be a hydration mismatch): start once the
  // page marks itself live (#widget-ready), then follow pages drawn later (records, after navigation).
  let started = false;
  const start = () => {
    if (started || !document.getElementById("widget-ready")) return false;
    started = true;
    update();
    setInterval(update, 30_000);
    return true;
  };
  new MutationObserver(() => (started ? soon() : start())).observe(document.documentElement, {
    childList: true, subtree: true,
  });
  start();
})();
