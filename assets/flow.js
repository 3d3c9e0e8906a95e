// The decision helper's steps, in the browser: a step needs no server round trip, and the answers
// stay in the page until the user chooses to record a decision.
//
// The walk mirrors infoshare_widget/flowchart/engine.py over flow-table.json, which the app writes
// from content/flowchart.yaml at start-up. The browser tests walk every path of the chart here and
// compare each outcome with the Python engine's.
import { useSyncExternalStore } from "react";
import CHART from "./flow-table.json";

const ANSWERS = ["yes", "no", "unsure"];
export const INITIAL = Object.freeze({ answers: {}, revisit: "", error: false });

/** Follow the answers from the start; stop at the first unanswered question, stopAt, or an outcome. */
export function walk(answers, stopAt) {
  const path = [];
  let node = CHART.start;
  while (Object.hasOwn(CHART.questions, node)) {
    const answer = answers[node];
    if (answer === undefined || node === stopAt) return { path, question: node, outcome: null, about: null };
    path.push([node, answer]);
    node = CHART.questions[node].next[answer];
  }
  const about = CHART.outcomes[node].kind === "seek_advice" && path.length ? path[path.length - 1][0] : null;
  return { path, question: null, outcome: node, about };
}

const position = (state) => walk(state.answers, state.revisit || null);
const onPath = (answers) => Object.fromEntries(walk(answers, null).path);

/** The next state after an action; unknown actions and values change nothing. */
export function reduce(state, action, arg) {
  const pos = position(state);
  switch (action) {
    case "answer":
      if (!pos.question) return state;
      if (!ANSWERS.includes(arg)) return { ...state, error: true };
      // Keep later answers (a changed answer returns to where the user was), drop other branches.
      return { answers: onPath({ ...state.answers, [pos.question]: arg }), revisit: "", error: false };
    case "back":
      return { ...state, revisit: pos.path.length ? pos.path[pos.path.length - 1][0] : state.revisit, error: false };
    case "change":
      return Object.hasOwn(CHART.questions, arg) ? { ...state, revisit: arg, error: false } : state;
    case "backToQuestion": {
      if (!pos.about) return state;
      const { [pos.about]: _dropped, ...answers } = state.answers;
      return { answers, revisit: "", error: false };
    }
    case "startAgain":
      return INITIAL;
    default:
      return state;
  }
}

/** What the page shows for a state. */
export function view(state) {
  const pos = position(state);
  const current = pos.outcome ?? pos.question;
  const chosen = Object.fromEntries(pos.path);
  if (pos.question && state.answers[pos.question] !== undefined) chosen[pos.question] = state.answers[pos.question];
  const text = pos.question ? CHART.questions[current].text : CHART.outcomes[current].title;
  return {
    current,
    chosen,
    answered: pos.path.map(([q, a]) => `${q}:${a}`).join(" "),
    marks: Object.entries(chosen).map(([q, a]) => `${q}:${a}`).join(" "),
    about: pos.about ?? "",
    error: state.error,
    title: `${state.error ? "Error: " : ""}${text} - InfoShare`,
    answers: onPath(state.answers),
  };
}

// The state lives here, not in React or Reflex State: a step only flips the `hidden` attribute and
// a class on the few elements that change, so the browser restyles almost nothing.
let state = INITIAL;
let shown = view(INITIAL);

/** The answers on the path so far (for recording a decision). */
export const currentAnswers = () => shown.answers;

// A counter that changes whenever the answers do, so a recorded decision is shown as recorded only
// for the walk it was recorded from. Only the record panel subscribes to it.
let walkNumber = 0;
const walkListeners = new Set();
const subscribeWalk = (listener) => (walkListeners.add(listener), () => walkListeners.delete(listener));

/** The current walk's number, for React: re-renders its component when the answers change. */
export function useWalk() {
  return useSyncExternalStore(subscribeWalk, () => walkNumber, () => 0);
}

const $ = (selector) => document.querySelector(selector);
const setHidden = (selector, hidden) => {
  const element = $(selector);
  if (element && element.hidden !== hidden) element.hidden = hidden;
};
const pairs = (text) => new Set(text ? text.split(" ") : []);

/** Show `now` in the page, changing only what differs from `before`. */
function render(before, now) {
  if (before.current !== now.current) {
    setHidden(`[data-step="${before.current}"]`, true);
    setHidden(`[data-step="${now.current}"]`, false);
  }
  const step = `[data-step="${now.current}"]`;
  for (const selector of [`${step} .error-summary`, `${step} .error-message`]) setHidden(selector, !now.error);
  $(`${step} .form-group`)?.classList.toggle("form-group--error", now.error);
  const fieldset = $(`${step} fieldset`);
  if (fieldset) {
    const hint = fieldset.dataset.hint;
    fieldset.setAttribute("aria-describedby", now.error ? `${hint} ${fieldset.dataset.errorId}` : hint);
  }
  // 'Your answers': rows and the answer shown in each.
  const [wasAnswered, isAnswered] = [pairs(before.answered), pairs(now.answered)];
  for (const pair of new Set([...wasAnswered, ...isAnswered])) {
    const [question] = pair.split(":");
    setHidden(`[data-answer="${pair}"]`, !isAnswered.has(pair));
    setHidden(`[data-row="${question}"]`, ![...isAnswered].some((p) => p.startsWith(`${question}:`)));
  }
  setHidden(".answers", isAnswered.size === 0);
  // The chart picture: current box, answered boxes, chosen exits.
  $(`[data-node="${before.current}"]`)?.classList.remove("flow__node--current");
  $(`[data-node="${now.current}"]`)?.classList.add("flow__node--current");
  const [wasMarked, isMarked] = [pairs(before.marks), pairs(now.marks)];
  for (const pair of new Set([...wasMarked, ...isMarked])) {
    const [question] = pair.split(":");
    $(`[data-exit="${pair}"]`)?.classList.toggle("flow__exit--chosen", isMarked.has(pair));
    $(`[data-node="${question}"]`)?.classList.toggle("flow__node--done", question in now.chosen);
  }
  // The record panel shows under outcomes only.
  const atOutcome = Object.hasOwn(CHART.outcomes, now.current);
  setHidden(".record-panel", !atOutcome);
  if (atOutcome && before.current !== now.current) {
    // For an embedding intranet page (embed-frame.js passes on the kind only, no personal data).
    document.dispatchEvent(new CustomEvent("infoshare:outcome", { detail: CHART.outcomes[now.current].kind }));
  }
  // More than one outcome gives advice about the question answered "Not sure": use the one on screen.
  if (before.about !== now.about || before.current !== now.current) {
    setHidden(`[data-step="${before.current}"] [data-about-note="${before.about}"]`, true);
    setHidden(`[data-step="${now.current}"] [data-about-note="${now.about}"]`, false);
  }
  document.title = now.title;
}

/** Apply an action, update the page, then move focus as GOV.UK pages do after a page change. */
export function dispatch(action, arg) {
  const next = reduce(state, action, arg);
  if (next === state) return;
  const before = shown;
  state = next;
  shown = view(state);
  render(before, shown);
  if (JSON.stringify(before.answers) !== JSON.stringify(shown.answers)) {
    walkNumber += 1;
    // Bookkeeping for the record panel, after the step is on screen rather than before it.
    setTimeout(() => walkListeners.forEach((listener) => listener()), 0);
  }
  // Every question's form stays in the page: clear those whose answer was dropped (start again,
  // back from advice, or a changed answer that took another branch), so none shows stale choices.
  for (const question of Object.keys(before.chosen)) {
    if (!(question in shown.chosen)) $(`form[data-question="${question}"]`)?.reset();
  }
  // Focus in the next frame, with the frame's own style and layout pass, not a forced one now.
  const step = `[data-step="${shown.current}"]`;
  const target = $(state.error ? `${step} .error-summary` : `${step} h1`);
  requestAnimationFrame(() => {
    target?.focus({ preventScroll: true });
    target?.scrollIntoView({ block: "nearest" });
  });
}

/** Form submit: Reflex passes the form's data; no "answer" in it shows the error. */
export function submitAnswer(formData) {
  const value = formData?.answer;
  dispatch("answer", typeof value === "string" ? value : null);
}
