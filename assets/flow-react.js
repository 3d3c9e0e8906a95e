// The React side of the decision helper: the page's own script (flow.js, inlined in the head) owns
// the state; this lets React components read it and tells it when React has drawn the page.
import { useEffect, useSyncExternalStore } from "react";

const flow = () => window.infoshareFlow;
const noSubscription = () => () => {};

/** The answers on the path so far (for recording a decision). */
export const currentAnswers = () => flow()?.currentAnswers() ?? {};

/** The current walk's number (changes whenever the answers do); also syncs the page on mount. */
export function useWalk() {
  useEffect(() => {
    flow()?.mounted();
  }, []);
  return useSyncExternalStore(
    (listener) => flow()?.subscribe(listener) ?? noSubscription(),
    () => flow()?.walkNumber() ?? 0,
    () => 0,
  );
}
