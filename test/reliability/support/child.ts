import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tortureEventstore } from './store-reader';

export const ROOT = join(__dirname, '../../..');

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServerChildOptions {
  dataDir: string;
  /** QUANZE_TOKENS for the child. */
  tokensEnv: string;
  /** Secrets that must never appear in the child's output. */
  secrets: string[];
  env?: Record<string, string>;
  /** Extra node arguments before the entry point (e.g. --cpu-prof). */
  nodeArgs?: string[];
}

/**
 * The real server as a separate process, exactly as `npm start` runs it but compiled on the fly:
 * `node -r ./bin/ts-register.js apps/api/src/main.ts` with QUANZE_DATA_DIR / QUANZE_TOKENS /
 * QUANZE_DEMO=0 / PORT=0. Everything it prints is watched for leaked tokens.
 */
export class ServerChild {
  proc?: ChildProcess;
  url = '';
  /** The last 64 KB of stdout+stderr, for diagnostics. */
  tail = '';
  /** Every secret seen in the output (should stay empty). */
  readonly leaks = new Set<string>();
  /** Lines the server logged at error level (a 5xx logs its stack). */
  errorLines = 0;
  started = 0;
  /** Output of the current life only (the banner with the URL is looked for here). */
  private lifeOutput = '';
  private carry = '';
  private exited?: Promise<ChildExit>;

  constructor(readonly options: ServerChildOptions) {}

  get pid(): number | undefined {
    return this.proc?.pid;
  }

  get running(): boolean {
    return !!this.proc && this.proc.exitCode === null && this.proc.signalCode === null;
  }

  /** Spawns the server; does not wait for it to listen (see ready()). */
  spawn(): void {
    if (this.running) throw new Error('server child already running');
    this.url = '';
    this.lifeOutput = '';
    this.started++;
    const env = {
      ...process.env,
      QUANZE_DATA_DIR: this.options.dataDir,
      QUANZE_TOKENS: this.options.tokensEnv,
      QUANZE_DEMO: '0',
      PORT: '0',
      HOST: '127.0.0.1',
      QUANZE_EVENTSTORE: tortureEventstore(),
      ...this.options.env,
    };
    // orphan-guard.js only ends the child if the harness itself dies without killing it.
    // with QUANZE_LOOP_TRACE=<file> in env, loop-trace.preload.ts records the child's event-loop stalls and GC pauses there
    const preload = (env as NodeJS.ProcessEnv).QUANZE_LOOP_TRACE ? ['-r', join(__dirname, 'loop-trace.preload.ts')] : [];
    const args = ['-r', join(ROOT, 'bin/ts-register.js'), '-r', join(__dirname, 'orphan-guard.js'), ...preload, ...(this.options.nodeArgs ?? []), join(ROOT, 'apps/api/src/main.ts')];
    const proc = spawn(process.execPath, args, {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.proc = proc;
    live.add(proc);
    proc.once('exit', () => live.delete(proc));
    const onData = (d: Buffer) => this.watch(d.toString('utf8'));
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    this.exited = new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
  }

  private watch(s: string): void {
    const text = this.carry + s;
    for (const secret of this.options.secrets) if (text.includes(secret)) this.leaks.add(secret);
    const longest = Math.max(0, ...this.options.secrets.map((x) => x.length));
    this.carry = text.slice(-longest);
    this.tail = (this.tail + s).slice(-65536);
    this.errorLines += (s.match(/\bERROR\b/g) ?? []).length;
    if (!this.url) {
      this.lifeOutput += s;
      const m = /已启动：(http:\/\/[^\s]+)/.exec(this.lifeOutput);
      if (m) this.url = m[1];
    }
  }

  /** Resolves with the URL once the server listens; rejects if it exits first or takes too long. */
  async ready(timeoutMs = 30_000): Promise<string> {
    const t0 = Date.now();
    while (!this.url) {
      if (!this.running) throw new Error(`server child exited before listening:\n${this.tail}`);
      if (Date.now() - t0 > timeoutMs) throw new Error(`server child not listening after ${timeoutMs} ms:\n${this.tail}`);
      await sleep(10);
    }
    return this.url;
  }

  async start(timeoutMs?: number): Promise<string> {
    this.spawn();
    return this.ready(timeoutMs);
  }

  /** Sends a signal and waits for the process to be gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<ChildExit> {
    if (!this.proc || !this.exited) return { code: null, signal: null };
    if (this.running) this.proc.kill(signal);
    return this.exited;
  }

  /** Waits for exit (after a signal sent elsewhere), at most timeoutMs; SIGKILL after that. */
  async waitExit(timeoutMs: number): Promise<ChildExit & { forced: boolean }> {
    if (!this.exited) return { code: null, signal: null, forced: false };
    const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), timeoutMs).unref());
    const r = await Promise.race([this.exited, timer]);
    if (r !== 'timeout') return { ...r, forced: false };
    return { ...(await this.kill('SIGKILL')), forced: true };
  }

  /** Resident set size of the child in bytes (Linux /proc), or undefined. */
  rss(): number | undefined {
    if (!this.pid || !this.running) return undefined;
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${this.pid}/status`, 'utf8'));
      return m ? Number(m[1]) * 1024 : undefined;
    } catch {
      return undefined;
    }
  }
}

/** Children still running when the harness exits (normally or by process.exit) are killed with it. */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const p of live) p.kill('SIGKILL');
});

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
