import { appendFileSync, readFileSync } from 'node:fs';
import { PerformanceObserver, performance } from 'node:perf_hooks';

/**
 * What held one process's event loop (#22: which answers over 200 ms are the server's, which the
 * measuring client's): a 10 ms timer notices every gap of `stallMs` or more between its ticks and
 * records it with the main thread's own figures over the gap, read from Linux's schedstat — time on
 * the CPU (the process's own work: JavaScript, GC on the main thread, a synchronous syscall's CPU) and
 * time waiting on the run queue (descheduled: the host's other processes had the cores); what is
 * neither is time asleep in the kernel (a synchronous fsync, page faults on I/O). GC pauses of `gcMs`
 * or more are recorded apart (kind, duration). Times are wall-clock ms (Date.now() scale).
 */
export interface LoopStall {
  kind: 'stall';
  /** Wall time the loop stopped answering, and how long (ms) beyond the timer's period. */
  start: number;
  ms: number;
  /** Of the gap: on the CPU, on the run queue (descheduled), neither (asleep in a syscall). */
  cpuMs: number;
  runqMs: number;
  /** The same instant on the monotonic clock (µs), the clock of a --cpu-prof profile. */
  monoEndUs: number;
}
export interface GcPause {
  kind: 'gc';
  start: number;
  ms: number;
  /** 'minor' (scavenge), 'major' (mark-compact), 'incremental', 'weakcb'. */
  gc: string;
}
export type LoopRecord = LoopStall | GcPause;

const GC_KINDS: Record<number, string> = { 1: 'minor', 2: 'major', 4: 'incremental', 8: 'weakcb', 16: 'minor' };

/** The main thread's [on-CPU ns, run-queue ns] (zeros where /proc is not Linux's). */
function schedstat(): [number, number] {
  try {
    const [run, wait] = readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ').map(Number);
    return [run, wait];
  } catch {
    return [0, 0];
  }
}

export interface LoopTrace {
  records: LoopRecord[];
  stop(): void;
}

/** Starts tracing this process; `file`: also append each record there as a JSON line (flushed every 250 ms). */
export function startLoopTrace(o: { file?: string; tickMs?: number; stallMs?: number; gcMs?: number } = {}): LoopTrace {
  const tickMs = o.tickMs ?? 10;
  const stallMs = o.stallMs ?? 30;
  const gcMs = o.gcMs ?? 5;
  const records: LoopRecord[] = [];
  let unflushed: LoopRecord[] = [];
  const push = (r: LoopRecord) => {
    records.push(r);
    if (o.file) unflushed.push(r);
  };
  const flush = () => {
    if (!o.file || !unflushed.length) return;
    appendFileSync(o.file, unflushed.map((r) => JSON.stringify(r)).join('\n') + '\n');
    unflushed = [];
  };
  let last = performance.now();
  let [run0, wait0] = schedstat();
  const tick = setInterval(() => {
    const now = performance.now();
    const [run, wait] = schedstat();
    const gap = now - last - tickMs;
    if (gap >= stallMs) {
      push({ kind: 'stall', start: Math.round(performance.timeOrigin + last), ms: Math.round(gap), cpuMs: Math.round((run - run0) / 1e6), runqMs: Math.round((wait - wait0) / 1e6), monoEndUs: Number(process.hrtime.bigint() / 1000n) });
    }
    last = now;
    run0 = run;
    wait0 = wait;
  }, tickMs);
  tick.unref();
  const flusher = setInterval(flush, 250);
  flusher.unref();
  const gc = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.duration < gcMs) continue;
      const kind = (e as unknown as { detail?: { kind?: number } }).detail?.kind ?? 0;
      push({ kind: 'gc', start: Math.round(performance.timeOrigin + e.startTime), ms: Math.round(e.duration), gc: GC_KINDS[kind] ?? String(kind) });
    }
  });
  gc.observe({ entryTypes: ['gc'] });
  return {
    records,
    stop() {
      clearInterval(tick);
      clearInterval(flusher);
      gc.disconnect();
      flush();
    },
  };
}

/** The records a traced process wrote to `file` (missing or torn lines skipped). */
export function readLoopTrace(file: string): LoopRecord[] {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const out: LoopRecord[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      out.push(JSON.parse(line));
    } catch {
      /* the last line of a killed process */
    }
  }
  return out;
}

/** What overlapped one slow answer [start, end]: the server's and the client's stalls and GC pauses. */
export interface SlowAnswer {
  path: string;
  start: number;
  ms: number;
  /** ms of the answer's interval during which the server's loop was stalled, and of that on the CPU / the run queue. */
  server: { stalledMs: number; cpuMs: number; runqMs: number; gcMs: number; gc: string[] };
  client: { stalledMs: number; cpuMs: number; runqMs: number; gcMs: number; gc: string[] };
  /** Whose: the server's loop, the client's loop, or neither (scheduling between them, the network). */
  cause: 'server' | 'client' | 'both' | 'neither';
}

function overlap(records: LoopRecord[], start: number, end: number): SlowAnswer['server'] {
  const o = { stalledMs: 0, cpuMs: 0, runqMs: 0, gcMs: 0, gc: [] as string[] };
  for (const r of records) {
    const a = Math.max(start, r.start);
    const b = Math.min(end, r.start + r.ms);
    if (b <= a) continue;
    if (r.kind === 'gc') {
      o.gcMs += b - a;
      o.gc.push(`${r.gc} ${r.ms} ms`);
    } else {
      const share = (b - a) / Math.max(1, r.ms);
      o.stalledMs += b - a;
      o.cpuMs += Math.round(r.cpuMs * share);
      o.runqMs += Math.round(r.runqMs * share);
    }
  }
  return o;
}

/**
 * Each answer over `overMs` with what overlapped it. Its cause is the side whose loop was stalled for
 * at least half of the answer's time beyond a 50 ms allowance (both, if each was), else neither.
 */
export function explainSlowAnswers(answers: Array<{ path: string; start: number; ms: number }>, server: LoopRecord[], client: LoopRecord[], overMs = 200): SlowAnswer[] {
  return answers
    .filter((a) => a.ms > overMs)
    .map((a) => {
      const s = overlap(server, a.start, a.start + a.ms);
      const c = overlap(client, a.start, a.start + a.ms);
      const need = (a.ms - 50) / 2;
      const bySrv = s.stalledMs >= need;
      const byCli = c.stalledMs >= need;
      return { path: a.path, start: a.start, ms: a.ms, server: s, client: c, cause: bySrv && byCli ? 'both' : bySrv ? 'server' : byCli ? 'client' : 'neither' };
    });
}

/** The longest stalls of a trace, longest first. */
export function longestStalls(records: LoopRecord[], n = 5): LoopStall[] {
  return records.filter((r): r is LoopStall => r.kind === 'stall').sort((a, b) => b.ms - a.ms).slice(0, n);
}
