// Who is open now, in UK time, in the browser: fills in "Open now" / "Closed now" on contact cards
// and names the first open service above each list of contacts. The answer depends on the moment,
// not on when the page was built, so it runs here; infoshare_widget/base/hours.py answers the same
// question for the API. tests/cases/hours.json holds its answers at moments around opening and
// closing, weekends, bank holidays and both clock changes; tests/js/hours.test.mjs runs this file
// over the same cases (node --test, no browser).
//
// window.INFOSHARE_HOURS (written by the app from the partnership file, flowchart/chart_view_model.hours_table):
//   {time_zone: "Europe/London", days: ["monday", ..., "sunday"], bank_holiday: "bank_holiday",
//    bank_holidays: ["2026-12-25", ...], bank_holidays_until: "2027-12-31" | null,
//    contacts: {key: {name, phone, open: {monday: [[525, 1035]], ...}}}}
// After bank_holidays_until (or always, when no bank holidays are listed) nobody's status is known:
// a day past the list could be a bank holiday, so the page says it cannot tell rather than guess.
(function () {
  "use strict";

  /** The rules over an hours table: the UK day and minute of a moment, and who is open then. */
  function hoursRules(table) {
    const holidays = new Set(table.bank_holidays);
    const format = new Intl.DateTimeFormat("en-GB", {
      timeZone: table.time_zone, year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23",
    });

    /** The UK date (YYYY-MM-DD), day name (table.days, Monday first) and minute of the day at `moment`. */
    function inUk(moment) {
      const part = Object.fromEntries(format.formatToParts(moment).map((p) => [p.type, p.value]));
      const sundayFirst = new Date(Date.UTC(Number(part.year), Number(part.month) - 1, Number(part.day))).getUTCDay();
      return {
        date: `${part.year}-${part.month}-${part.day}`,
        day: table.days[(sundayFirst + 6) % 7],
        minute: Number(part.hour) * 60 + Number(part.minute),
      };
    }

    /** Whether the contact under `key` is open at `moment`; null when it has no hours, or when the
     * bank-holiday list does not reach that day. */
    function openAt(key, moment) {
      const contact = table.contacts[key];
      if (!contact || !contact.open) return null;
      const uk = inUk(moment);
      if (!table.bank_holidays_until || uk.date > table.bank_holidays_until) return null;
      const day = holidays.has(uk.date) ? table.bank_holiday : uk.day;
      return (contact.open[day] || []).some(([start, end]) => start <= uk.minute && uk.minute < end);
    }

    return { inUk, openAt };
  }

  // Under Node (tests/js/), the rules only: the page below needs a browser.
  if (typeof module === "object" && module.exports) {
    module.exports = { hoursRules };
    return;
  }

  const table = window.INFOSHARE_HOURS;
  if (!table) return;
  const { inUk, openAt } = hoursRules(table);

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
      const keys = element.dataset.openFirst.split(" ");
      const key = keys.find((k) => openAt(k, now));
      const contact = key && table.contacts[key];
      const unknown = keys.some((k) => openAt(k, now) === null);
      const text = contact
        ? `Open now: ${contact.name}${contact.phone ? `, ${contact.phone}` : ""}.`
        : unknown
          ? "We cannot tell who is open now: check the hours below. If a child is in danger, call 999."
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
  // With no network the page never connects, so never marks itself live: there, start once React has
  // drawn the decide page (flow.js says so), so who is open is worked out on the device offline too.
  let started = false;
  const drawnOffline = () => navigator.onLine === false && window.infoshareFlow?.drawn?.() === true;
  const start = () => {
    if (started || !(document.getElementById("widget-ready") || drawnOffline())) return false;
    started = true;
    update();
    setInterval(update, 30_000);
    return true;
  };
  new MutationObserver(() => (started ? soon() : start())).observe(document.documentElement, {
    childList: true, subtree: true,
  });
  document.addEventListener("infoshare:drawn", start);
  start();
})();
