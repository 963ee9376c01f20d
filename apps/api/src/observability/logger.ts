import pino, { DestinationStream, Logger } from 'pino';
import type { QuanzeConfig } from '../../../../libs/runtime/src';

export type LogLevel = QuanzeConfig['logLevel'];

/**
 * The server's one logger: a JSON line per record on stdout (pino), `time` as ISO-8601. On a terminal
 * (stdout is a TTY) the same records as one short human line each — pino-pretty is not a dependency.
 * Nothing here ever sees a header or a body: callers log fields they chose (request-log.ts).
 */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  const dest = destination ?? (process.stdout.isTTY ? humanLines(process.stdout) : pino.destination({ dest: 1, sync: true }));
  return pino(
    {
      level,
      base: undefined, // no pid/hostname on every line
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    dest,
  );
}

/** `17:43:19 info  GET /api/ownership 200 3.1ms editor-user(editor) req=… +2 events` */
export function humanLines(out: { write(s: string): unknown }): DestinationStream {
  return {
    write(line: string) {
      let r: Record<string, unknown>;
      try {
        r = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return out.write(line);
      }
      const { time, level, msg, ...rest } = r;
      const t = typeof time === 'string' ? time.slice(11, 19) : '';
      const head = r.method ? `${r.method} ${r.route ?? r.path ?? ''} ${r.status} ${r.durationMs}ms` : String(msg ?? '');
      const who = r.actor ? ` ${r.actor}(${r.role})` : '';
      const skip = new Set(['method', 'route', 'path', 'status', 'durationMs', 'actor', 'role']);
      const extra = r.method ? Object.entries(rest).filter(([k]) => !skip.has(k)).map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`) : [];
      return out.write(`${t} ${String(level).padEnd(5)} ${head}${who}${extra.length ? ' ' + extra.join(' ') : ''}\n`);
    },
  };
}
