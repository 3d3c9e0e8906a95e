"""Benchmark: glossary search time on the server, and keystroke to results in the browser.

Prints, for the shipped glossary and for a generated 10,000-entry glossary, the time of one
search (median and p95 over a mixed query set: exact terms, prefixes as typed, words of the
meaning, typos). Targets: p95 at most 2 ms at 10,000 entries. Then it serves the widget and times,
inside the page, a keystroke in the search box to the results list changing (target: p95 at most
100 ms).
"""

from __future__ import annotations

import random
import statistics
import string
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from bench.flowchart import percentile
from infoshare_widget.glossary.entries import Entry
from infoshare_widget.glossary.loading import get_glossary
from infoshare_widget.glossary.search import SearchIndex
from harness.chromium import CHROMIUM, CHROMIUM_ARGS
from harness.server import ROOT, start_reflex, stop_reflex

TYPO_QUERIES = ["cahms", "caldicot", "gilick", "safegaurding", "stratgey", "marak", "exploitaton", "protecton"]
WORD_QUERIES = ["mental health", "front door", "domestic abuse", "looked after", "significant harm",
                "education plan", "youth justice", "data protection", "missing from education", "court order"]


def query_set(entries: list[Entry], rng: random.Random, n: int = 300) -> list[str]:
    """A mix of what people type: whole terms, the first letters of a term, words, typos."""
    sample = rng.sample(entries, min(len(entries), n))
    queries = []
    for i, entry in enumerate(sample):
        kind = i % 4
        if kind == 0:
            queries.append(entry.term)
        elif kind == 1:
            queries.append(entry.term[: max(1, len(entry.term) // 2)].lower())
        elif kind == 2:
            queries.append(rng.choice(WORD_QUERIES))
        else:
            queries.append(rng.choice(TYPO_QUERIES))
    return queries


def generated_entries(base: list[Entry], total: int, rng: random.Random) -> list[Entry]:
    """The shipped entries plus made-up ones with realistic words, up to `total`."""
    vocabulary = sorted({w for e in base for m in e.meanings for w in m.meaning.lower().split() if w.isalpha()})
    disciplines = sorted({d for e in base for d in e.disciplines})
    entries = list(base)
    seen = {e.term.casefold() for e in entries}
    while len(entries) < total:
        term = "".join(rng.choice(string.ascii_uppercase) for _ in range(rng.randint(2, 6)))
        if rng.random() < 0.3:
            term += " " + rng.choice(vocabulary)
        if term.casefold() in seen:
            continue
        seen.add(term.casefold())
        words = rng.sample(vocabulary, 4)
        meanings = [
            {
                "expansion": " ".join(w.capitalize() for w in words),
                "meaning": " ".join(rng.sample(vocabulary, 18)) + ".",
                "disciplines": rng.sample(disciplines, rng.randint(1, 3)),
                "source": "GEN",
            }
            for _ in range(1 if rng.random() < 0.9 else 2)
        ]
        entries.append(Entry.model_validate({"term": term, "meanings": meanings, "variants": [term.lower()]}))
    return entries


def time_searches(index: SearchIndex, queries: list[str], repeats: int = 5) -> list[float]:
    """Milliseconds per search, each query run `repeats` times."""
    times = []
    for _ in range(repeats):
        for query in queries:
            start = time.perf_counter_ns()
            index.search(query, limit=20)
            times.append((time.perf_counter_ns() - start) / 1e6)
    return times


# Arms a timer: from the next keydown in the search box to the results list changing (and the
# browser having laid it out). The result is read with MEASURED_JS after the key is pressed.
ARM_JS = """
() => {
  const list = document.getElementById('glossary-results');
  const input = document.getElementById('glossary-search');
  window.__measured = new Promise((resolve) => {
    let start = null;
    input.addEventListener('keydown', () => { start = performance.now(); }, {once: true, capture: true});
    const observer = new MutationObserver(() => {
      if (start === null) return;
      observer.disconnect();
      clearTimeout(timer);
      document.body.getBoundingClientRect();
      resolve(performance.now() - start);
    });
    // The results are in the page from the start: a search shows, hides and moves them.
    observer.observe(list, {subtree: true, childList: true, characterData: true, attributes: true,
                            attributeFilter: ['hidden']});
    const timer = setTimeout(() => { observer.disconnect(); resolve(null); }, 2000);
  });
}
"""
MEASURED_JS = "() => window.__measured"


def browser_keystrokes(url: str, queries: list[str]) -> list[float]:
    """Type each query; time the last keystroke to the results list changing, in the page."""
    times = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(url + "/glossary")
        page.locator("#widget-ready").wait_for(state="attached")
        search = page.locator("#glossary-search")
        for query in queries:
            search.fill("")
            page.wait_for_function("document.querySelectorAll('#glossary-results > li:not([hidden])').length === 0")
            search.fill(query[:-1])
            page.wait_for_timeout(60)
            page.evaluate(ARM_JS)
            page.keyboard.press(query[-1])
            elapsed = page.evaluate(MEASURED_JS)
            if elapsed is not None:
                times.append(elapsed)
        browser.close()
    return times


def fmt(values: list[float]) -> str:
    return f"median {statistics.median(values):7.3f} ms   p95 {percentile(values, 95):7.3f} ms   (n={len(values)})"


def main() -> None:
    rng = random.Random(47)
    shipped = list(get_glossary().entries)
    print("Server-side search time (one query, 20 results)")
    index = SearchIndex(shipped)
    print(f"  shipped glossary ({len(shipped)} entries)   {fmt(time_searches(index, query_set(shipped, rng)))}")
    big = generated_entries(shipped, 10_000, rng)
    started = time.perf_counter()
    big_index = SearchIndex(big)
    built = time.perf_counter() - started
    big_times = time_searches(big_index, query_set(big, rng))
    print(f"  generated glossary ({len(big)} entries) {fmt(big_times)}   (target p95 <= 2 ms)")
    print(f"  building the 10,000-entry index took {built * 1000:.0f} ms (once, at start)")

    print()
    print("Browser: keystroke to results shown, timed in the page")
    work = Path(tempfile.mkdtemp(prefix="infoshare-bench-"))
    url, process = start_reflex(ROOT, work)
    try:
        queries = [q for q in query_set(shipped, rng, 300) if len(q) >= 2]
        times = browser_keystrokes(url, queries)
    finally:
        stop_reflex(process)
    print(f"  widget glossary   {fmt(times)}   (target p95 <= 100 ms)")


if __name__ == "__main__":
    main()
