// assets/flow.js against tests/cases/flow.json: the Python engine's answers for every walk of the
// shipped chart, each step on the way, going back, answers off the path, and answers it refuses.
import { test } from "node:test";
import { asset, assertRowsAgree, loadCases } from "./support.mjs";

const { flowRules } = asset("flow.js");
const { page_data: chart, cases } = loadCases("flow");
const rules = flowRules(chart);
const script = "flow.js";

test("flow.js keeps exactly the answers engine.py accepts", () => {
  assertRowsAgree(cases.map((c) => ({
    name: c.name,
    input: c.answers,
    got: rules.cleanAnswers(c.answers),
    expected: c.expect.problems ? c.expect.accepted : c.answers,
  })), { what: "answers kept (cleanAnswers; engine.check_answers)", script });
});

test("flow.js walks to the same question or outcome, by the same path, as engine.py", () => {
  const walked = cases.filter((c) => !c.expect.problems);
  assertRowsAgree(walked.map((c) => {
    const { path, question, outcome, about } = rules.walk(c.answers, c.stop_at);
    return {
      name: c.name,
      input: { answers: c.answers, stop_at: c.stop_at },
      got: { path, question, outcome, about },
      expected: { path: c.expect.path, question: c.expect.question, outcome: c.expect.outcome, about: c.expect.about },
    };
  }), { what: "walk (path, question, outcome, about)", script });
});

test("flow.js keeps the answers on the path, as engine.py walks it", () => {
  // The page drops the answers the API reports as ignored: what it keeps is the walked path.
  const natural = cases.filter((c) => !c.expect.problems && c.stop_at === null);
  assertRowsAgree(natural.map((c) => ({
    name: c.name,
    input: c.answers,
    got: rules.onPath(c.answers),
    expected: Object.fromEntries(c.expect.path),
  })), { what: "answers on the path (onPath)", script });
});

test("the cases cover every walk of the chart and every question", () => {
  const outcomes = new Set(cases.filter((c) => c.expect.outcome).map((c) => c.expect.outcome));
  const questions = new Set(cases.filter((c) => c.expect.question).map((c) => c.expect.question));
  for (const id of Object.keys(chart.outcomes)) if (!outcomes.has(id)) throw new Error(`no case reaches ${id}`);
  for (const id of Object.keys(chart.questions)) if (!questions.has(id)) throw new Error(`no case stops at ${id}`);
});
