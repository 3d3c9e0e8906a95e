// When the server could not carry out an event (the browser side of infoshare_widget/components/trouble/).
//
// Each event gets a number as it is sent (just before the socket sends it: assets/compat/reflex.js, inlined
// before this), and the last few are remembered here, in this tab's memory only. When the server cannot carry one out,
// it sends back "<number>:<kind>" (TroubleState.signal), and a banner says so at once:
//   retry   the session store was down before anything was done: the same event is sent again,
//           after 1, 2, 4, then every 5 seconds, until it gets through ("ok");
//   unsure  the store went down part-way: nothing is sent again; check before doing it again;
//   failed  another server error: the action was not completed;
//   ok      a retried event got through;
//   done    an event the page waits on was answered (see the watchdog below).
// Nothing typed on the page is touched: the banner sits above it.
//
// The watchdog: the events the page waits on (saves, sign-in, admin actions: window.INFOSHARE_WATCHED,
// written by the server from the handlers marked @answered, with what may be done about each) are
// answered with "done". One that hears nothing within WAIT_MS (a worker killed mid-save, a server
// that hangs) says so; a save is sent again by itself (its key makes it save once, and the page
// shows whichever attempt saved), anything else asks the person to check before doing it again.
window.infoshareTrouble = (() => {
  const KEEP = 50;
  const WAIT_MS = 8000;
  const watched = window.INFOSHARE_WATCHED || {};
  const sent = new Map(); // number -> { event, name, tries, root, timer, answered }
  const tries = new WeakMap(); // a retried event object -> its try number
  const roots = new WeakMap(); // a resent event object -> the number of the press it stands for
  let count = 0;
  let hideTimer = null;
  let addEventsLater = null; // Reflex's addEvents, kept from the first signal (the page's mount)

  window.infoshareReflex.onEventSend((event, name) => {
    count += 1;
    const attempt = tries.get(event) || 0;
    const entry = { event, name, tries: attempt, root: roots.get(event) || count };
    if (watched[name]) {
      const number = count;
      entry.timer = window.setTimeout(() => late(number), WAIT_MS);
    }
    sent.set(count, entry);
    if (sent.size > KEEP) {
      const [oldest, old] = sent.entries().next().value;
      window.clearTimeout(old.timer);
      sent.delete(oldest);
    }
    // The practitioner has moved on: a banner about an earlier failure no longer applies (a new
    // one comes if this fails too). A retry in progress keeps its banner until it gets through.
    const box = document.getElementById("infoshare-trouble");
    if (box && !box.hidden && ["failed", "unsure", "unanswered"].includes(box.dataset.kind)) box.hidden = true;
    // Sent with the event: its number, and whether it is a retry.
    return attempt ? { infoshare_seq: count, infoshare_retry: true } : { infoshare_seq: count };
  });

  const TEXT = {
    retry: ["The server could not do that just now.",
            "Nothing you typed is lost. It will try again by itself every few seconds until it works."],
    unsure: ["The server lost contact part-way through your last action.",
             "It may or may not have gone through. Check (for example in the records list) before you do it again. Nothing you typed is lost."],
    failed: ["Something went wrong on the server and your last action was not completed.",
             "Nothing you typed is lost. Try again. If it keeps happening, tell whoever runs the widget for your organisation."],
    ok: ["Back to normal: your last action went through.", ""],
    late: ["The server has not answered yet.",
           "Nothing you typed is lost. It is being sent again by itself, and it will be saved only once."],
    unanswered: ["The server did not answer your last action in time.",
                 "It may or may not have gone through. Check (for example in the list) before you do it again. Nothing you typed is lost."],
  };

  const banner = () => {
    let box = document.getElementById("infoshare-trouble");
    if (!box) {
      box = document.createElement("div");
      box.id = "infoshare-trouble";
      box.className = "trouble no-print";
      box.setAttribute("role", "alert");
      box.innerHTML = '<p class="trouble__title"></p><p class="trouble__body"></p>';
      const page = document.querySelector(".page") || document.body;
      page.prepend(box);
    }
    return box;
  };

  const show = (kind, extra) => {
    const [title, body] = TEXT[kind];
    const box = banner();
    box.dataset.kind = kind;
    box.querySelector(".trouble__title").textContent = title;
    box.querySelector(".trouble__body").textContent = extra ? `${body} ${extra}` : body;
    box.hidden = false;
    window.clearTimeout(hideTimer);
    if (kind === "ok") hideTimer = window.setTimeout(() => { box.hidden = true; }, 8000);
  };

  const pause = (attempt) => (attempt <= 1 ? 1000 : attempt === 2 ? 2000 : attempt === 3 ? 4000 : 5000);

  // The server answered this event (in any way): its watchdog stops; a "late" banner for the press
  // it stands for goes once that press is answered.
  const answer = (number) => {
    const entry = sent.get(number);
    if (!entry) return;
    window.clearTimeout(entry.timer);
    entry.answered = true;
    const box = document.getElementById("infoshare-trouble");
    if (box && !box.hidden && box.dataset.kind === "late" && Number(box.dataset.root) === entry.root) show("ok");
  };

  // No answer in time. A newer attempt for the same press, still waiting, is left to its own watchdog.
  function late(number) {
    const entry = sent.get(number);
    if (!entry || entry.answered) return;
    for (const [other, later] of sent) {
      if (other > number && later.root === entry.root && !later.answered) return;
    }
    if (watched[entry.name] !== "resend" || typeof addEventsLater !== "function") {
      show("unanswered");
      return;
    }
    show("late");
    banner().dataset.root = String(entry.root);
    const again = window.infoshareReflex.again(entry.event);
    tries.set(again, entry.tries + 1);
    roots.set(again, entry.root);
    addEventsLater([again]);
  }

  return {
    signal(value, addEvents) {
      if (typeof addEvents === "function") addEventsLater = addEvents;
      const match = /^(\d+):(retry|unsure|failed|ok|done)$/.exec(String(value || ""));
      if (!match) return;
      const [, number, kind] = match;
      answer(Number(number));
      if (kind === "done") return;
      const event = sent.get(Number(number));
      if (kind !== "retry" || !event || typeof addEvents !== "function") {
        show(kind === "retry" ? "failed" : kind);
        return;
      }
      const attempt = event.tries + 1;
      show("retry", attempt > 1 ? `(Tried ${attempt - 1} time${attempt > 2 ? "s" : ""} so far.)` : "");
      // One pause per failed event: several may be waiting at once, each retried on its own.
      window.setTimeout(() => {
        const again = window.infoshareReflex.again(event.event);
        tries.set(again, attempt);
        roots.set(again, event.root);
        addEvents([again]);
      }, pause(attempt));
    },
  };
})();
