// Glossary keyboard use: "/" jumps to the search box; the arrow keys move through the results;
// Enter in the search box opens the first result. Installed once, for the whole page.
(() => {
  if (window.__infoshareGlossaryKeys) return;
  window.__infoshareGlossaryKeys = true;
  // On a phone, the on-screen keyboard covers the lower half: bring the search box to the top when
  // it is used, so the first results show above the keyboard.
  document.addEventListener("focusin", (event) => {
    if (event.target?.id !== "glossary-search" || !window.matchMedia("(max-width: 40rem)").matches) return;
    requestAnimationFrame(() => event.target.scrollIntoView({ block: "start" }));
  });
  document.addEventListener("keydown", (event) => {
    const search = document.getElementById("glossary-search");
    if (!search || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    const typing =
      target instanceof HTMLElement &&
      (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
    if (event.key === "/" && !typing) {
      event.preventDefault();
      search.focus();
      search.select();
      return;
    }
    const links = [...document.querySelectorAll("#glossary-results .result:not([hidden]) .result__link")];
    if (!links.length) return;
    const at = links.indexOf(document.activeElement);
    if (event.key === "Enter" && target === search) {
      event.preventDefault();
      links[0].click();
    } else if ((event.key === "ArrowDown" || event.key === "ArrowUp") && (target === search || at >= 0)) {
      event.preventDefault();
      const next = event.key === "ArrowDown" ? at + 1 : at - 1;
      if (next < 0) search.focus();
      else links[Math.min(next, links.length - 1)].focus();
    }
  });
})();
