// assets/hours.js against tests/cases/hours.json: hours.py's answers around opening and closing,
// weekends, bank holidays, both clock changes and past the end of the bank-holiday list, for the
// example partnership and variants of it (each with the table the page would carry).
import { test } from "node:test";
import { asset, assertRowsAgree, loadCases } from "./support.mjs";

const { hoursRules } = asset("hours.js");
const { page_data: tables, cases } = loadCases("hours");
const rules = Object.fromEntries(Object.entries(tables).map(([name, table]) => [name, hoursRules(table)]));
const script = "hours.js";
const name = (c) => `${c.table} at ${c.at} (${c.note})`;

test("hours.js reads the UK date, day and minute of each moment as hours.py does", () => {
  assertRowsAgree(cases.map((c) => ({
    name: name(c), input: c.at, got: rules[c.table].inUk(new Date(c.at)), expected: c.expect.uk,
  })), { what: "UK date, day and minute (inUk)", script });
});

test("hours.js says who is open, closed or unknown as hours.py does", () => {
  assertRowsAgree(cases.flatMap((c) => Object.entries(c.expect.open).map(([key, expected]) => ({
    name: `${name(c)}: ${key}`,
    input: { at: c.at, uk: c.expect.uk, hours: tables[c.table].contacts[key].open },
    got: rules[c.table].openAt(key, new Date(c.at)),
    expected,
  }))), { what: "open at the moment (openAt), by case and contact", script });
});
