// The decision helper in the browser. Inlined in the head of every page (see
// infoshare_widget/flowchart/client.py), so it runs before React and before the websocket: a tap on
// Continue acts the moment the question is on screen, hydrated or not, and no answer reaches the
// server. React takes over the same state when it is ready (flow-react.js).
//
// The walk follows infoshare_widget/flowchart/engine.py over window.INFOSHARE_FLOW, the chart's
// table written by the app (client.flow_table: questions, where each answer leads, the answers a
// question takes). tests/cases/flow.json holds every walk of the chart as the Python engine answers
// it; tests/js/flow.test.mjs runs this walk over the same cases (node --test, no browser).
//
// Keeping the place: each step is a history entry that records which step it shows (never an
// answer), and the answers are kept in this tab's sessionStorage (in memory where a cross-site
// frame blocks storage), so Back, Forward and reload return to the same step with the same answers.
// Nothing goes in the address. "Exit this page" clears them.
(() => {
  /** The rules over a chart's table: walking it, and the state each action leads to. No page here. */
  function flowRules(CHART) {
    const ANSWERS = CHART.answers;
    const INITIAL = Object.freeze({ answers: {}, revisit: "", error: false });
    const isQuestion = (node) => Object.hasOwn(CHART.questions, node);
    const isOutcome = (node) => Object.hasOwn(CHART.outcomes, node);

    /** Follow the answers from the start; stop at the first unanswered question, stopAt, or an outcome. */
    function walk(answers, stopAt) {
      const path = [];
      let node = CHART.start;
      while (isQuestion(node)) {
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
    function reduce(state, action, arg) {
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
          return isQuestion(arg) ? { ...state, revisit: arg, error: false } : state;
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
    function view(state) {
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

    /** The answers that can be used with this chart (known question, known answer); the rest dropped. */
    const cleanAnswers = (raw) =>
      Object.fromEntries(Object.entries(raw || {}).filter(([q, a]) => isQuestion(q) && ANSWERS.includes(a)));

    /** The state that shows `node` with these answers: a question on the path is revisited. */
    function at(answers, node) {
      const natural = walk(answers, null);
      const end = natural.outcome ?? natural.question;
      if (!node || node === end) return { answers, revisit: "", error: false };
      const stopped = walk(answers, node);
      return { answers, revisit: stopped.question === node ? node : "", error: false };
    }

    return { ANSWERS, INITIAL, isQuestion, isOutcome, walk, position, onPath, reduce, view, cleanAnswers, at };
  }

  // Under Node (tests/js/), the rules only: the page below needs a browser.
  if (typeof module === "object" && module.exports) {
    module.exports = { flowRules };
    return;
  }

  const CHART = window.INFOSHARE_FLOW;
  if (!CHART || window.infoshareFlow) return;
  const { INITIAL, isQuestion, isOutcome, walk, position, reduce, view, cleanAnswers, at } = flowRules(CHART);
  const STORE = "infoshare-answers";

  // -- Keeping the place ---------------------------------------------------------------------------
  const storage = () => {
    try {
      return window.sessionStorage;
    } catch (e) {
      return null;
    }
  };
  function storedAnswers() {
    try {
      return cleanAnswers(JSON.parse(storage()?.getItem(STORE) || "{}"));
    } catch (e) {
      return {};
    }
  }
  function storeAnswers(answers) {
    try {
      if (Object.keys(answers).length) storage()?.setItem(STORE, JSON.stringify(answers));
      else storage()?.removeItem(STORE);
    } catch (e) {}
  }
  const entryOf = (historyState) => historyState?.infoshare;
  /** Record the step on screen in the browser's history: a new entry, or this one replaced. */
  function remember(push, node = shown.current) {
    const depth = (entryOf(history.state)?.depth ?? 0) + (push ? 1 : 0);
    const entry = { ...(history.state || {}), infoshare: { node, depth } };
    try {
      if (push) history.pushState(entry, "");
      else history.replaceState(entry, "");
    } catch (e) {}
  }

  // -- The page ------------------------------------------------------------------------------------
  let state = at(storedAnswers(), entryOf(history.state)?.node);
  let shown = view(state);
  const INITIAL_VIEW = view(INITIAL);
  let painted = INITIAL_VIEW; // what the DOM shows now (the page arrives showing the first question)
  let walkNumber = 0;
  let generation = 0; // moves on when the answers are forgotten
  let hydrated = false; // React owns the <title> element: change it only once React has it
  const listeners = new Set();

  const $ = (selector) => document.querySelector(selector);
  const setHidden = (selector, hidden) => {
    const element = $(selector);
    if (element && element.hidden !== hidden) element.hidden = hidden;
  };
  const pairs = (text) => new Set(text ? text.split(" ") : []);
  const onDecidePage = () => !!document.querySelector("[data-step]");

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
    // The record panel and "Print this outcome" show under outcomes only.
    const atOutcome = isOutcome(now.current);
    setHidden(".record-panel", !atOutcome);
    // Parts shown at some steps only (the other areas' contacts, at outcomes that send someone to a
    // service: infoshare_widget/flowchart/contact_cards.py).
    for (const element of document.querySelectorAll("[data-shown-at]")) {
      const show = element.dataset.shownAt.split(" ").includes(now.current);
      if (element.hidden === show) element.hidden = !show;
    }
    setHidden("[data-print-controls]", !atOutcome);
    if (atOutcome && before.current !== now.current) {
      // For an embedding intranet page (embed-frame.js passes on the kind only, no personal data).
      document.dispatchEvent(new CustomEvent("infoshare:outcome", { detail: CHART.outcomes[now.current].kind }));
    }
    // More than one outcome gives advice about the question answered "Not sure": use the one on screen.
    if (before.about !== now.about || before.current !== now.current) {
      setHidden(`[data-step="${before.current}"] [data-about-note="${before.about}"]`, true);
      setHidden(`[data-step="${now.current}"] [data-about-note="${now.about}"]`, false);
    }
    // Each question whose answer changed shows it in its radios (none where there is none now).
    for (const question of new Set([...Object.keys(before.chosen), ...Object.keys(now.chosen)])) {
      if (before.chosen[question] === now.chosen[question] && before !== INITIAL_VIEW) continue;
      for (const radio of document.querySelectorAll(`form[data-question="${question}"] input[type="radio"]`)) {
        const checked = radio.value === now.chosen[question];
        if (radio.checked !== checked) radio.checked = checked;
      }
    }
    if (hydrated) document.title = now.title;
  }

  // A tap can come while the page is still arriving (the first question shows before the rest of
  // the HTML is in): if the step to show is not in the page yet, show it the moment it is.
  let waiting = null;
  function showWhenArrived() {
    if (waiting || document.readyState !== "loading") return;
    waiting = new MutationObserver(() => {
      if (!$(`[data-step="${shown.current}"]`)) return;
      waiting.disconnect();
      waiting = null;
      render(INITIAL_VIEW, shown);
      painted = shown;
      $(`[data-step="${shown.current}"] h1`)?.focus({ preventScroll: true });
    });
    waiting.observe(document.documentElement, { childList: true, subtree: true });
  }

  /** Bring the page in line with the state (on arrival, and whenever React has drawn it afresh). */
  function paint(focus) {
    if (!onDecidePage()) return;
    render(painted, shown);
    painted = shown;
    if (!$(`[data-step="${shown.current}"]`)) showWhenArrived();
    if (focus) {
      const step = `[data-step="${shown.current}"]`;
      const target = $(state.error ? `${step} .error-summary` : `${step} h1`);
      requestAnimationFrame(() => {
        target?.focus({ preventScroll: true });
        target?.scrollIntoView({ block: "nearest" });
      });
    }
  }

  /** Show a new state. historyPush: true for a new history entry, false to replace this one, null
   * for none (the browser has already moved to the entry: Back or Forward). */
  function changed(next, historyPush) {
    const before = shown;
    state = next;
    shown = view(state);
    paint(true);
    // The step's history entry now, so Back works at once; storing the answers is bookkeeping,
    // done after the step is on screen.
    if (historyPush !== null && before.current !== shown.current) remember(historyPush);
    const answers = state.answers;
    const kept = generation;
    setTimeout(() => {
      if (kept === generation) storeAnswers(answers); // unless forgotten meanwhile (Exit this page)
    }, 0);
    if (JSON.stringify(before.answers) !== JSON.stringify(shown.answers)) {
      walkNumber += 1;
      // A walk that has just ended (a person's answer, not a reload or Back): its outcome kind and the
      // questions answered "Not sure", for the partnership's optional count (assets/walks.js).
      if (isOutcome(shown.current)) {
        const unsure = walk(shown.answers, null).path.filter(([, answer]) => answer === "unsure").map(([q]) => q);
        document.dispatchEvent(new CustomEvent("infoshare:walk-end", {
          detail: { kind: CHART.outcomes[shown.current].kind, unsure },
        }));
      }
      // Bookkeeping for the record panel, after the step is on screen rather than before it.
      setTimeout(() => listeners.forEach((listener) => listener()), 0);
    }
  }

  /** Apply an action: update the page and the history (a new entry for each new step). */
  function dispatch(action, arg) {
    const next = reduce(state, action, arg);
    if (next !== state) changed(next, true);
  }

  /** The in-page Back link: the browser's Back where the previous entry is this walk's. */
  function back() {
    if ((entryOf(history.state)?.depth ?? 0) > 0) history.back();
    else {
      const next = reduce(state, "back");
      if (next !== state) changed(next, false);
    }
  }

  // -- Taps, before React and after --------------------------------------------------------------
  // Listening on the document in the capture phase: this runs before React's own handlers, and
  // stops the event there, so each tap acts exactly once whether or not React has hydrated.
  function capture(type, selector, handle) {
    document.addEventListener(
      type,
      (event) => {
        const target = event.target.closest?.(selector);
        if (!target) return;
        event.preventDefault();
        event.stopPropagation();
        handle(target);
      },
      true,
    );
  }
  capture("submit", "form[data-question]", (form) => {
    // The question on screen is the one answered (a form left from another step changes nothing).
    if (form.dataset.question !== (position(state).question ?? "")) return;
    const value = new FormData(form).get("answer");
    dispatch("answer", typeof value === "string" ? value : null);
  });
  capture("click", "[data-flow]", (control) => {
    if (control.dataset.flow === "back") back();
    else dispatch(control.dataset.flow, control.dataset.flowArg);
  });
  // Back and Forward between this walk's steps (React's router is not told: the address is the same).
  window.addEventListener("popstate", (event) => {
    const entry = entryOf(event.state);
    if (!entry || !onDecidePage() || location.pathname !== "/") return;
    event.stopImmediatePropagation();
    changed(at(storedAnswers(), entry.node), null);
  });

  // -- Printing an outcome -------------------------------------------------------------------------
  // The browser prints the page as the print stylesheet lays it out (assets/infoshare.css): nothing is
  // stored or sent. "Include my answers" is read by the stylesheet alone. The printout says when it
  // was printed, in UK time, so its "Open now" is read as of then; the line goes again afterwards.
  function datePrintout() {
    const stamp = $("[data-print-stamp]");
    if (!stamp) return;
    const now = new Date();
    const zone = window.INFOSHARE_HOURS?.time_zone;
    const part = (options) => {
      try {
        return new Intl.DateTimeFormat("en-GB", { ...options, timeZone: zone }).format(now);
      } catch (e) {
        return new Intl.DateTimeFormat("en-GB", options).format(now);
      }
    };
    // The weekday apart: how a locale joins it to the date differs between browsers.
    const day = `${part({ weekday: "long" })} ${part({ day: "numeric", month: "long", year: "numeric" })}`;
    const time = part({ hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    stamp.textContent = `Printed on ${day} at ${time}${zone ? ", UK time" : ""}. "Open now" and "Closed now" are as they were then.`;
    stamp.hidden = false;
  }
  capture("click", "[data-print-outcome]", () => {
    datePrintout();
    window.print();
  });
  window.addEventListener("beforeprint", datePrintout);
  window.addEventListener("afterprint", () => {
    const stamp = $("[data-print-stamp]");
    if (stamp) {
      stamp.hidden = true;
      stamp.textContent = "";
    }
  });

  function arrive() {
    if (!onDecidePage()) {
      // Elsewhere (the glossary): offer the way back to the question where a walk is under way.
      const kept = Object.keys(storedAnswers()).length > 0;
      for (const link of document.querySelectorAll("[data-flow-return]")) link.hidden = !kept;
      return;
    }
    state = at(storedAnswers(), entryOf(history.state)?.node ?? state.revisit);
    shown = view(state);
    painted = INITIAL_VIEW;
    paint(false);
    if (!entryOf(history.state)) remember(false);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", arrive, { once: true });
  else arrive();

  window.infoshareFlow = {
    walk,
    reduce,
    view,
    dispatch,
    /** The answers on the path so far (for recording a decision). */
    currentAnswers: () => shown.answers,
    /** The current walk's number: changes whenever the answers do. */
    walkNumber: () => walkNumber,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    /** React drew the decide page (again): show the state there. */
    mounted() {
      hydrated = true;
      arrive();
      // Scripts that must not touch the page before React has it (hours.js, offline) start now.
      document.dispatchEvent(new CustomEvent("infoshare:drawn"));
    },
    /** Whether React has drawn the decide page. */
    drawn: () => hydrated,
    /** Forget the answers and the place (Exit this page). */
    forget() {
      generation += 1;
      state = INITIAL;
      shown = view(INITIAL);
      storeAnswers({});
      try {
        history.replaceState({ ...(history.state || {}), infoshare: { node: CHART.start, depth: 0 } }, "");
      } catch (e) {}
    },
  };
})();
