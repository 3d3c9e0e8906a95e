// "The child lives in another area?" on the decide page (infoshare_widget/flowchart/contact_cards.py):
// the search box hides the areas whose names do not hold every word typed, and Enter opens the one
// left; the link in each outcome's contacts moves there. Inlined in the head with flow.js, so it
// works before React loads. It changes attributes only (hidden, open), never text, so React finds
// the page it rendered when it hydrates. Each area is a <details>: without this script, all are listed.
(() => {
  if (window.infoshareAreas) return;

  /** Show the areas whose names hold every word of the search box; say so when none does. */
  function narrow(search) {
    const section = search.closest("section");
    const words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    const shown = [];
    for (const item of section.querySelectorAll("[data-area-name]")) {
      const hit = words.every((word) => item.dataset.areaName.includes(word));
      if (item.hidden === hit) item.hidden = !hit;
      if (hit) shown.push(item);
    }
    const none = section.querySelector("[data-area-none]");
    if (none) none.hidden = shown.length > 0;
    return shown;
  }

  document.addEventListener("input", (event) => {
    if (event.target.matches?.("[data-area-search]")) narrow(event.target);
  }, true);
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || !event.target.matches?.("[data-area-search]")) return;
    event.preventDefault();
    const shown = narrow(event.target);
    if (shown.length !== 1) return;
    const area = shown[0].querySelector("details");
    area.open = true;
    area.querySelector("summary").focus();
  }, true);
  // In the capture phase, before React Router: no history entry, so the decision helper's Back is
  // untouched.
  document.addEventListener("click", (event) => {
    const link = event.target.closest?.("[data-areas-link]");
    if (!link) return;
    event.preventDefault();
    event.stopPropagation();
    const heading = document.getElementById(link.getAttribute("href").split("#")[1]);
    heading?.focus({ preventScroll: true });
    heading?.scrollIntoView({ block: "start" });
  }, true);

  window.infoshareAreas = { narrow };
})();
