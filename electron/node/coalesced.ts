/**
 * Runs `fn` at most once per `intervalMs`: the first call at once, later calls in the period
 * folded into one run at its end. For events whose latest state is all that matters
 * (status.changed): a storm of causes becomes a few events, and the last one is never lost.
 */
export interface Coalesced {
  (): void;
  cancel(): void;
}

export function coalesced(fn: () => void, intervalMs: number): Coalesced {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let pending = false;
  const endPeriod = () => {
    timer = null;
    if (!pending) return;
    pending = false;
    run();
  };
  const run = () => {
    fn();
    timer = setTimeout(endPeriod, intervalMs);
    timer.unref?.();
  };
  const call = () => {
    if (timer) pending = true;
    else run();
  };
  return Object.assign(call, {
    cancel() {
      if (timer) clearTimeout(timer);
      timer = null;
      pending = false;
    },
  });
}
