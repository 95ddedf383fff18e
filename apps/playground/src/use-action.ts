import { useState } from "react";

export interface ActionState<T> {
  busy: boolean;
  /** The answer of the last call: a success or a `{status:"failed", msg}` value. */
  answer?: T;
  /** Only a timeout or a network failure throws; its message is shown here. */
  error?: string;
}

/** Runs one client call at a time and keeps its answer for the page to show. */
export function useAction<T>() {
  const [state, setState] = useState<ActionState<T>>({ busy: false });
  async function run(call: () => Promise<T>): Promise<T | undefined> {
    setState({ busy: true });
    try {
      const answer = await call();
      setState({ busy: false, answer });
      return answer;
    } catch (error) {
      setState({ busy: false, error: error instanceof Error ? error.message : String(error) });
      return undefined;
    }
  }
  return { ...state, run };
}
