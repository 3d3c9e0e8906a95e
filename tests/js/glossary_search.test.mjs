// assets/glossary-search.js against tests/cases/glossary_search.json: search.py's ranked results
// (with scores), 'did you mean' suggestions and browsing, for thousands of queries over the shipped
// glossary, built from the data the glossary page carries.
import { test } from "node:test";
import { asset, assertRowsAgree, loadCases } from "./support.mjs";

const { SearchIndex } = asset("glossary-search.js");
const { page_data: data, cases, browse } = loadCases("glossary_search");
const index = new SearchIndex(data);
const slug = (i) => index.entries[i][4];
const script = "glossary-search.js";
const name = (c) => `${Array.from(JSON.stringify(c.query)).slice(0, 80).join("")}${c.discipline ? ` in ${c.discipline}` : ""}, limit ${c.limit}`;

test("glossary-search.js finds the same entries, in the same order, with the same scores as search.py", () => {
  assertRowsAgree(cases.map((c) => ({
    name: name(c),
    input: [c.query, c.discipline, c.limit],
    got: index.search(c.query, c.discipline, c.limit).map(([i, score]) => [slug(i), score]),
    expected: c.expect.hits,
  })), { what: "results (search)", script });
});

test("glossary-search.js suggests the same entries as search.py ('did you mean')", () => {
  const asked = cases.filter((c) => c.expect.suggestions);
  assertRowsAgree(asked.map((c) => ({
    name: name(c), input: c.query, got: index.suggestions(c.query).map(slug), expected: c.expect.suggestions,
  })), { what: "suggestions", script });
});

test("glossary-search.js lists a discipline's entries in search.py's order", () => {
  assertRowsAgree(browse.map((c) => ({
    name: c.discipline || "(every discipline)", input: c.discipline, got: index.browse(c.discipline).map(slug),
    expected: c.expect,
  })), { what: "browsing", script });
});
