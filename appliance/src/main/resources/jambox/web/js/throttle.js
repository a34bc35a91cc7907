// A drag fires pointermove at 60-120 Hz; the box needs a few updates a second, but always the last one.
export function throttle(fn, intervalMs) {
  let lastRun = -Infinity;
  let timer = null;
  let pendingArgs = null;
  let lastResult;

  function run() {
    timer = null;
    lastRun = performance.now();
    const args = pendingArgs;
    pendingArgs = null;
    lastResult = fn(...args);
    return lastResult;
  }

  function throttled(...args) {
    pendingArgs = args;
    if (timer) return;
    const wait = lastRun + intervalMs - performance.now();
    if (wait <= 0) run();
    else timer = setTimeout(run, wait);
  }

  /** Sends what is still waiting now; returns the outcome of the last send. */
  throttled.flush = () => {
    if (timer) {
      clearTimeout(timer);
      return run();
    }
    return lastResult;
  };
  return throttled;
}
