/**
 * The store's and the importer's worker threads (the append writer, the WAL checkpoint, the upload
 * parser) are background work: on a host whose cores are shared, the thread that answers requests
 * should not wait behind them (#22: the loop traces showed the API's main thread on the run queue for
 * 150-300 ms at a time during a large import). Each such thread lowers its own scheduling priority
 * (nice +10, Linux: setpriority on the thread id); the main thread keeps its own. Where that is not
 * possible (another OS, a sandbox) nothing changes.
 *
 * Self-contained (no imports): its source is also put into the eval'd code of the store's workers.
 */
export function lowerThreadPriority(nice = 10): number | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fs = require('node:fs');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const os = require('node:os');
    // '/proc/thread-self' -> '<pid>/task/<tid>': setpriority(PRIO_PROCESS, tid) changes that thread only
    const tid = Number(String(fs.readlinkSync('/proc/thread-self')).split('/').pop());
    if (!Number.isInteger(tid) || tid <= 0) return undefined;
    if (os.getPriority(tid) < nice) os.setPriority(tid, nice);
    return os.getPriority(tid);
  } catch {
    return undefined;
  }
}

/** The same, as a statement for the source of an eval'd worker. */
export const LOWER_THREAD_PRIORITY_JS = `(${lowerThreadPriority.toString()})();`;
