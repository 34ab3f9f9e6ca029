// One pass at a time, with at most one more owed: a request during a pass runs a single pass right after it, however
// many requests came meanwhile. Shared by the claim loop and the follow-up check of held-open windows.

export type OnePass = {
  /** Run a pass now, or once more right after the one in flight; nothing once `signal` is aborted. */
  request(): void;
  /** True while a pass runs. */
  busy(): boolean;
  /** Drop the pass owed, if any, and wait for the one in flight (at once when idle). */
  stop(): Promise<void>;
};

/** `run` is one pass; its rejection goes to `onError` (never thrown further). */
export function createOnePass(run: () => Promise<void>, signal: AbortSignal, onError: (error: unknown) => void): OnePass {
  let inFlight: Promise<void> | null = null;
  let again = false;

  function request(): void {
    if (signal.aborted) return;
    if (inFlight) {
      again = true;
      return;
    }
    inFlight = run()
      .catch(onError)
      .finally(() => {
        inFlight = null;
        if (again) {
          again = false;
          request();
        }
      });
  }

  return {
    request,
    busy: () => inFlight !== null,
    async stop() {
      again = false;
      await inFlight;
    },
  };
}
