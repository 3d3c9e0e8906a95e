// Helpers for the JavaScript side of the shared cases (tests/cases/*.json, written from the Python
// by `python -m tests.support.shared_cases`): load an asset as Node sees it (its export guard hands over
// the rules, without the page), load a case file, and compare row by row with a short report.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { isDeepStrictEqual } from "node:util";

const require = createRequire(import.meta.url);
const ROOT = new URL("../../", import.meta.url);
export const SHOWN = 5;

/** The exports of assets/<name> under Node (see the guard near its top); from the folder named by
 * INFOSHARE_JS_ASSETS instead where it is set (the scripts as the page has them, minified). */
export const asset = (name) => require(process.env.INFOSHARE_JS_ASSETS
  ? `${process.env.INFOSHARE_JS_ASSETS}/${name}`
  : new URL(`assets/${name}`, ROOT).pathname);

/** tests/cases/<name>.json: {about, page_data, cases, ...}. */
export const loadCases = (name) => JSON.parse(readFileSync(new URL(`tests/cases/${name}.json`, ROOT), "utf8"));

const short = (value, limit = 300) => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length <= limit ? text : `${text.slice(0, limit)}... (${text.length} characters)`;
};

const isObject = (value) => value !== null && typeof value === "object" && !Array.isArray(value);
const pick = (object, keys) => Object.fromEntries(keys.map((key) => [key, object[key] ?? null]));

/** Fail unless every row's `got` (the JavaScript) equals its `expected` (the Python, as the case file
 * holds it); the report names how many differ and the first few, with their cases and inputs. */
export function assertRowsAgree(rows, { what, script }) {
  const bad = rows.filter((row) => !isDeepStrictEqual(row.got, row.expected));
  if (!bad.length) return;
  const lines = [`${what}: ${bad.length} of ${rows.length} cases differ; the first ${Math.min(SHOWN, bad.length)}:`];
  for (const row of bad.slice(0, SHOWN)) {
    let [got, expected] = [row.got, row.expected];
    if (isObject(got) && isObject(expected)) {
      // Only the fields that differ, so that a long path does not hide them.
      const differ = [...new Set([...Object.keys(got), ...Object.keys(expected)])]
        .filter((key) => !isDeepStrictEqual(got[key], expected[key]));
      [got, expected] = [pick(got, differ), pick(expected, differ)];
    }
    lines.push(`  case ${row.name}`, `    input:  ${short(row.input)}`, `    ${script}: ${short(got)}`,
      `    Python (tests/cases): ${short(expected)}`);
  }
  lines.push(`Each case is what the Python answers: make ${script} agree. (If the Python changed and the cases`,
    "were not regenerated, pytest says so too: run `python -m tests.support.shared_cases` and review the diff.)");
  assert.fail(lines.join("\n"));
}
