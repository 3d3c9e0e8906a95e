// Glossary search in the browser: typing sends nothing to the server. The same ranking as
// infoshare_widget/glossary/search.py, over an index built here from what the page carries
// (<script type="application/json" id="glossary-index">, glossary/pages.search_data): the
// constants the ranking uses (stop words, weights, number words, the longest query), written from
// search.py, and the entries. tests/cases/glossary_search.json holds search.py's answers to many
// queries; tests/js/glossary_search.test.mjs runs this file over the same cases (node --test, no
// browser). Every entry's result is already in the page, hidden; a search shows the ones found, in
// order. The server's search API stays, for integrations.
(() => {
  if (typeof window === "object" && window.infoshareGlossary) return;

  const RESULT_LIMIT = 20;
  const has = (table, key) => Object.prototype.hasOwnProperty.call(table, key);

  /** Text as the index reads it, with the constants from search.py (search.browser_rules). */
  function textRules(rules) {
    const SMALL = rules.small_numbers;
    const TENS = rules.tens;
    const STOP_WORDS = new Set(rules.stop_words);

    function numberAt(words, start) {
      let value = 0, at = start;
      const end = words.length;
      if (at + 1 < end && (SMALL[words[at]] ?? 0) >= 1 && SMALL[words[at]] <= 9 && words[at + 1] === "hundred") {
        value = SMALL[words[at]] * 100;
        at += 2;
        if (at + 1 < end && words[at] === "and" && (has(TENS, words[at + 1]) || has(SMALL, words[at + 1]))) at += 1;
      }
      if (at < end && has(TENS, words[at])) {
        value += TENS[words[at]];
        at += 1;
        if (at < end && (SMALL[words[at]] ?? 0) >= 1 && SMALL[words[at]] <= 9) {
          value += SMALL[words[at]];
          at += 1;
        }
      } else if (at < end && has(SMALL, words[at])) {
        value += SMALL[words[at]];
        at += 1;
      }
      return at > start ? [value, at] : null;
    }

    function wordsToNumbers(text) {
      const words = text.split(" ").filter(Boolean);
      if (!words.some((w) => has(SMALL, w) || has(TENS, w))) return text;
      const out = [];
      let at = 0;
      while (at < words.length) {
        const found = numberAt(words, at);
        if (found) { out.push(String(found[0])); at = found[1]; } else { out.push(words[at]); at += 1; }
      }
      return out.join(" ");
    }

    function normalize(text) {
      let t = String(text).normalize("NFKD").replace(/[^\x00-\x7f]/g, "").toLowerCase();
      t = t.replace(/'/g, "");
      return wordsToNumbers(t.replace(/[^a-z0-9]+/g, " ").split(" ").filter(Boolean).join(" "));
    }

    const wordsOf = (text) => normalize(text).split(" ").filter((w) => w && !STOP_WORDS.has(w));
    return { STOP_WORDS, normalize, wordsOf };
  }

  const typoBudget = (word) => (word.length < 4 ? 0 : word.length < 8 ? 1 : 2);
  const compare = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

  function bisectLeft(sorted, key) {
    let lo = 0, hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid] < key) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  // Optimal string alignment distance (an adjacent swap counts 1), as rapidfuzz's OSA.
  function osa(a, b) {
    const n = a.length, m = b.length;
    let prev2 = null, prev = Array.from({ length: m + 1 }, (_, j) => j);
    for (let i = 1; i <= n; i++) {
      const row = [i];
      for (let j = 1; j <= m; j++) {
        const cost = a[i - 1] === b[j - 1] ? 0 : 1;
        let best = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, prev2[j - 2] + 1);
        row.push(best);
      }
      prev2 = prev;
      prev = row;
    }
    return prev[m];
  }

  function addMax(table, key, index, score) {
    let owners = table.get(key);
    if (!owners) { owners = new Map(); table.set(key, owners); }
    owners.set(index, Math.max(owners.get(index) ?? 0, score));
  }

  class SearchIndex {
    // data: {rules: search.browser_rules(), entries: [[term, [variants], [[expansion, meaning], ...],
    // [disciplines], slug], ...]}
    constructor({ rules, entries }) {
      const text = textRules(rules);
      this.normalize = text.normalize;
      this.wordsOf = text.wordsOf;
      this.stopWords = text.STOP_WORDS;
      this.maxQueryChars = rules.max_query_chars;
      this.weights = rules.weights;
      this.entries = entries;
      this.tieKeys = entries.map((e) => e[0].toLowerCase());
      this.names = new Map();
      this.compact = new Map();
      this.words = new Map();
      entries.forEach(([term, variants, meanings], index) => {
        const names = [[term, 1000], ...variants.map((v) => [v, 950]), ...meanings.map((m) => [m[0], 900])];
        for (const [name, exact] of names) {
          const key = this.normalize(name);
          if (key) {
            addMax(this.names, key, index, exact);
            addMax(this.compact, key.replace(/ /g, ""), index, exact - 5);
          }
        }
        for (const text of [term, ...variants]) this.addWords(text, index, this.weights.name);
        for (const [expansion, meaning] of meanings) {
          this.addWords(expansion, index, this.weights.expansion);
          this.addWords(meaning, index, this.weights.meaning);
        }
      });
      this.prefixNames = [];
      for (const [key, owners] of this.names) {
        for (const [index, exact] of owners) this.prefixNames.push([key, index, exact >= 950 ? 800 : 700]);
      }
      this.prefixNames.sort((a, b) => compare(a[0], b[0]) || a[1] - b[1] || a[2] - b[2]);
      this.prefixKeys = this.prefixNames.map((p) => p[0]);
      this.vocabulary = [...this.words.keys()].sort(compare);
      this.byLength = new Map();
      for (const word of this.vocabulary) {
        if (!this.byLength.has(word.length)) this.byLength.set(word.length, []);
        this.byLength.get(word.length).push(word);
      }
    }

    // The query up to the longest read, counted in characters as Python counts them (an emoji is one,
    // where String.slice would count two).
    cut(query) {
      return Array.from(String(query)).slice(0, this.maxQueryChars).join("");
    }

    addWords(text, index, weight) {
      for (const word of this.wordsOf(text)) addMax(this.words, word, index, weight);
    }

    nameScores(key) {
      const scores = new Map();
      const exact = [...(this.names.get(key) ?? new Map()), ...(this.compact.get(key.replace(/ /g, "")) ?? new Map())];
      for (const [index, score] of exact) scores.set(index, Math.max(scores.get(index) ?? 0, score));
      const start = bisectLeft(this.prefixKeys, key);
      for (let position = start; position < Math.min(start + 400, this.prefixKeys.length); position++) {
        const [name, index, base] = this.prefixNames[position];
        if (!name.startsWith(key)) break;
        if (name !== key) {
          const wholeWord = name[key.length] === " " ? 50 : 0;
          const score = base - Math.min(name.length - key.length, 49) + wholeWord;
          scores.set(index, Math.max(scores.get(index) ?? 0, score));
        }
      }
      return scores;
    }

    wordMatches(token, last, alsoTypos) {
      const found = new Map(this.words.get(token) ?? []);
      if (last && token.length >= 2) {
        const start = bisectLeft(this.vocabulary, token);
        for (const word of this.vocabulary.slice(start, start + 200)) {
          if (!word.startsWith(token)) break;
          for (const [index, weight] of this.words.get(word)) found.set(index, Math.max(found.get(index) ?? 0, weight));
        }
      }
      if (found.size && !alsoTypos) return { found, typos: new Map(), corrections: [] };
      const budget = typoBudget(token);
      if (budget === 0) return { found, typos: new Map(), corrections: [] };
      const typos = new Map();
      const corrections = [];
      for (let length = token.length - budget; length <= token.length + budget; length++) {
        const candidates = this.byLength.get(length);
        if (!candidates) continue;
        // As rapidfuzz's extract: every candidate within the budget, nearest first (stable).
        const near = [];
        for (const word of candidates) {
          const distance = osa(token, word);
          if (distance <= budget) near.push([word, distance]);
        }
        near.sort((a, b) => a[1] - b[1]);
        for (const [word, distance] of near) {
          if (distance === 0) continue;
          corrections.push([distance, word]);
          for (const [index, weight] of this.words.get(word)) {
            if (!found.has(index)) typos.set(index, Math.min(typos.get(index) ?? budget + 1, distance));
            found.set(index, Math.max(found.get(index) ?? 0, weight));
          }
        }
      }
      corrections.sort((a, b) => a[0] - b[0] || compare(a[1], b[1]));
      return { found, typos, corrections };
    }

    correctedNames(words, matches) {
      const options = words.map((word, position) => {
        const match = matches.get(position);
        if (!match || !match.corrections.length) return [[0, word]];
        const asTyped = this.words.has(word) ? [[0, word]] : [];
        return [...asTyped, ...match.corrections.slice(0, 3)];
      });
      const scores = new Map();
      // Every combination, in itertools.product's order, at most 27.
      const combinations = [];
      const walk = (at, chosen) => {
        if (combinations.length >= 27) return;
        if (at === options.length) { combinations.push(chosen); return; }
        for (const option of options[at]) {
          walk(at + 1, [...chosen, option]);
          if (combinations.length >= 27) return;
        }
      };
      walk(0, []);
      for (const combination of combinations) {
        const edits = combination.reduce((sum, [distance]) => sum + distance, 0);
        const name = combination.map(([, word]) => word).join(" ");
        const owners = [...(this.names.get(name) ?? new Map()), ...(this.compact.get(name.replace(/ /g, "")) ?? new Map())];
        for (const [index, exact] of owners) {
          const score = 400 + (exact - 900) / 4 - 5 * edits;
          scores.set(index, Math.max(scores.get(index) ?? 0, score));
        }
      }
      return scores;
    }

    allWords(tokens, scores, alsoTypos) {
      const matches = tokens.map((token, i) => this.wordMatches(token, i === tokens.length - 1, alsoTypos));
      if (!matches.every((m) => m.found.size)) return [false, matches];
      const better = (index, score) => {
        if (score > (scores.get(index) ?? 0)) scores.set(index, score);
      };
      if (matches.length === 1 && !matches[0].typos.size) {
        for (const [index, weight] of matches[0].found) better(index, weight >= this.weights.expansion ? 600 + weight : 450 + weight);
        return [true, matches];
      }
      let common = [...matches[0].found.keys()];
      for (const match of matches.slice(1)) common = common.filter((index) => match.found.has(index));
      const typoWords = matches.filter((m) => m.typos.size).map((m) => m.typos);
      for (const index of common) {
        const weights = matches.map((m) => m.found.get(index));
        const sum = weights.reduce((a, b) => a + b, 0);
        const edits = typoWords.reduce((total, typos) => total + (typos.get(index) ?? 0), 0);
        if (edits) better(index, 300 + sum - edits);
        else if (Math.min(...weights) >= this.weights.expansion) better(index, 600 + sum);
        else better(index, 450 + sum);
      }
      return [common.length > 0, matches];
    }

    // The entries found, best first: [[entry index, score], ...].
    search(query, discipline = "", limit = RESULT_LIMIT) {
      const key = this.normalize(this.cut(query));
      if (!key || limit <= 0) return [];
      const scores = this.nameScores(key);
      const words = key.split(" ");
      let positions = words.map((w, i) => (this.stopWords.has(w) ? -1 : i)).filter((i) => i >= 0);
      if (!positions.length) positions = words.map((_, i) => i);
      const tokens = positions.map((i) => words[i]);
      let [found, matches] = this.allWords(tokens, scores, false);
      if (!found && tokens.length > 1) [found, matches] = this.allWords(tokens, scores, true);
      const typoMatches = new Map();
      matches.forEach((m, i) => { if (m.corrections.length) typoMatches.set(positions[i], m); });
      if (typoMatches.size) {
        for (const [index, score] of this.correctedNames(words, typoMatches)) {
          if (score > (scores.get(index) ?? 0)) scores.set(index, score);
        }
      }
      let items = [...scores];
      if (discipline) items = items.filter(([index]) => this.entries[index][3].includes(discipline));
      items.sort((a, b) => b[1] - a[1] || compare(this.tieKeys[a[0]], this.tieKeys[b[0]]));
      return items.slice(0, limit);
    }

    // Every entry of a discipline, alphabetically.
    browse(discipline) {
      return this.entries.map((e, i) => i).filter((i) => !discipline || this.entries[i][3].includes(discipline))
        .sort((a, b) => compare(this.tieKeys[a], this.tieKeys[b]));
    }

    // "Did you mean": the names nearest the query (fewest edits for its length), up to three entries.
    suggestions(query, limit = 3) {
      const key = this.normalize(this.cut(query));
      if (!key) return [];
      const ranked = [];
      for (const [name, owners] of this.names) {
        const distance = osa(key, name) / Math.max(key.length, name.length);
        if (distance <= 0.5) for (const index of owners.keys()) ranked.push([distance, this.tieKeys[index], index]);
      }
      ranked.sort((a, b) => a[0] - b[0] || compare(a[1], b[1]));
      return [...new Set(ranked.map((r) => r[2]))].slice(0, limit);
    }
  }

  // Under Node (tests/js/), the search only: the page below needs a browser.
  if (typeof module === "object" && module.exports) {
    module.exports = { SearchIndex, osa };
    return;
  }

  // -- the page ------------------------------------------------------------------------------------
  let index = null;
  const STORE = "infoshare-glossary";

  function getIndex() {
    if (!index) {
      const data = document.getElementById("glossary-index");
      if (!data) return null;
      index = new SearchIndex(JSON.parse(data.textContent));
    }
    return index;
  }

  function remember(query, discipline) {
    try { sessionStorage.setItem(STORE, JSON.stringify({ query, discipline })); } catch (e) { /* blocked: fine */ }
  }

  function recalled() {
    try { return JSON.parse(sessionStorage.getItem(STORE) || "{}"); } catch (e) { return {}; }
  }

  // What was typed, up to the box's own limit (glossary/pages.py sets it from search.py's
  // MAX_QUERY_CHARS; the search cuts a query there too).
  const typed = (search) => (search.maxLength > 0 ? search.value.slice(0, search.maxLength) : search.value);

  // A very large glossary is not carried in the page: ask the server's search API (plain HTTP, the
  // last answer wins), and make each result here.
  let asked = 0;
  let waiting = null;

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function resultItem(entry, labels) {
    const li = element("li", "result");
    const link = element("a", "result__link");
    link.href = `/glossary/${encodeURIComponent(entry.slug)}`;
    link.append(element("span", "result__term", entry.term), element("span", "result__expansion", entry.expansion));
    const where = element("p", "result__disciplines", entry.disciplines.map((d) => labels[d] ?? d).join(", "));
    if (entry.local) where.append(element("span", "tag", "Local term"));
    li.append(link, where, element("p", "result__meaning", entry.meanings[0]?.meaning ?? ""));
    if (entry.meanings.length > 1) {
      const also = element("div", "also");
      const title = element("p", "also__title");
      title.append(element("strong", "", "Also means:"));
      const list = element("ul", "list list--bullet");
      for (const m of entry.meanings.slice(1)) {
        const item = element("li");
        item.append(element("strong", "", m.expansion),
          element("span", "also__where", ` in ${m.disciplines.map((d) => labels[d] ?? d).join(", ")}`), `: ${m.meaning}`);
        list.append(item);
      }
      also.append(title, list);
      li.append(also);
    }
    return li;
  }

  function showFromServer(list, query, discipline) {
    clearTimeout(waiting);
    waiting = setTimeout(async () => {
      const ask = ++asked;
      const count = document.getElementById("glossary-count");
      let body = { results: [] };
      if (query.trim() || discipline) {
        try {
          const params = new URLSearchParams({ q: query, limit: "20" });
          if (discipline) params.set("discipline", discipline);
          const response = await fetch(`${list.dataset.searchApi}?${params}`, { credentials: "omit" });
          body = response.ok ? await response.json() : { results: [], failed: true };
        } catch (e) {
          body = { results: [], failed: true };
        }
      }
      if (ask !== asked) return;  // a later keystroke has asked since
      const labels = JSON.parse(list.dataset.disciplineLabels || "{}");
      list.replaceChildren(...body.results.map((entry) => resultItem(entry, labels)));
      count.textContent = body.failed ? "The search is not answering: try again in a moment"
        : body.results.length ? `${body.results.length} found` : query.trim() ? "Nothing found" : "";
      const empty = document.getElementById("glossary-empty");
      empty.hidden = !(query.trim() && !body.results.length && !body.failed);
      const suggestions = document.getElementById("glossary-suggestions");
      suggestions.replaceChildren();
      const mean = body.did_you_mean ?? [];
      document.getElementById("glossary-did-you-mean").hidden = !mean.length;
      for (const entry of mean) {
        const li = element("li");
        const button = element("button", "link-button", entry.term);
        button.type = "button";
        button.dataset.glossaryTry = entry.term;
        li.append(button, ` (${entry.expansion})`);
        suggestions.append(li);
      }
    }, 150);
  }

  function show() {
    const search = document.getElementById("glossary-search");
    const select = document.getElementById("glossary-discipline");
    const list = document.getElementById("glossary-results");
    if (!search || !select || !list) return;
    if (list.dataset.searchApi) {
      const query = typed(search);
      remember(query, select.value);
      const browse = document.getElementById("glossary-browse");
      if (browse) browse.hidden = Boolean(query.trim() || select.value);
      return showFromServer(list, query, select.value);
    }
    const idx = getIndex();
    if (!idx) return;
    const query = typed(search);
    const discipline = select.value;
    remember(query, discipline);
    const order = query.trim() ? idx.search(query, discipline).map(([i]) => i) : discipline ? idx.browse(discipline) : [];
    const items = new Map([...list.children].map((li) => [Number(li.dataset.i), li]));
    for (const li of items.values()) li.hidden = true;
    // The ones found go first, in order (the rest stay, hidden, after them).
    for (const i of [...order].reverse()) {
      const li = items.get(i);
      if (li) { li.hidden = false; list.prepend(li); }
    }
    document.getElementById("glossary-count").textContent =
      order.length ? `${order.length} found` : query.trim() ? "Nothing found" : "";
    const empty = document.getElementById("glossary-empty");
    empty.hidden = !(query.trim() && !order.length);
    const browse = document.getElementById("glossary-browse");
    if (browse) browse.hidden = Boolean(query.trim() || discipline);
    const suggestions = document.getElementById("glossary-suggestions");
    suggestions.replaceChildren();
    if (!empty.hidden) {
      const found = idx.suggestions(query);
      document.getElementById("glossary-did-you-mean").hidden = !found.length;
      for (const i of found) {
        const [term, , meanings] = idx.entries[i];
        const li = document.createElement("li");
        const button = document.createElement("button");
        button.type = "button";
        button.className = "link-button";
        button.textContent = term;
        button.dataset.glossaryTry = term;
        li.append(button, ` (${meanings[0]?.[0] ?? ""})`);
        suggestions.append(li);
      }
    }
  }

  function mount() {
    const search = document.getElementById("glossary-search");
    const select = document.getElementById("glossary-discipline");
    if (!search || !select || search.dataset.searchReady) return;
    search.dataset.searchReady = "yes";
    // Back on the page (from an entry, or the decision helper): what was searched is still there.
    const before = recalled();
    if (!search.value && before.query) search.value = before.query;
    if (!select.value && before.discipline) select.value = before.discipline;
    show();
  }

  document.addEventListener("input", (event) => {
    if (event.target?.id === "glossary-search") show();
  });
  document.addEventListener("change", (event) => {
    if (event.target?.id === "glossary-discipline") show();
  });
  document.addEventListener("click", (event) => {
    const target = event.target instanceof Element ? event.target.closest("[data-glossary-try],[data-glossary-discipline]") : null;
    if (!target) return;
    const search = document.getElementById("glossary-search");
    const select = document.getElementById("glossary-discipline");
    if (target.dataset.glossaryTry !== undefined) {
      search.value = target.dataset.glossaryTry;
      search.focus();
    } else {
      select.value = target.dataset.glossaryDiscipline;
      search.value = "";
    }
    show();
  });

  window.infoshareGlossary = {
    mount,
    show,
    normalize: (text) => getIndex()?.normalize(text),
    osa,
    // For the parity test: the slugs a query finds, best first.
    search: (query, discipline = "", limit = RESULT_LIMIT) =>
      (getIndex()?.search(query, discipline, limit) ?? []).map(([i, score]) => [getIndex().entries[i][4], score]),
    suggestions: (query) => (getIndex()?.suggestions(query) ?? []).map((i) => getIndex().entries[i][4]),
  };
  if (document.readyState !== "loading") mount();
  else document.addEventListener("DOMContentLoaded", mount);
})();
