/**
 * PostgreSQL connection strings with several hosts, and which errors mean "try again later".
 *
 * node-postgres takes one host per connection. quanze accepts libpq's URL form with a host list and
 * `target_session_attrs` (`postgres://u@h1:5432,h2:5432/db?target_session_attrs=read-write`) and
 * picks, in order, the first host that answers and — for read-write, the default — accepts writes
 * (`SHOW transaction_read_only` = off). After a failover the same string finds the promoted standby.
 */
import { loadPg } from './pg-client';
import { StoreUnavailableError } from '../event-store.port';

export interface PgTarget {
  /** One single-host connection string per host, in order. */
  hosts: string[];
  /** `read-write` (default) or `any`. */
  targetSessionAttrs: 'read-write' | 'any';
  /** The string as given, password hidden. */
  shown: string;
}

const URL_RE = /^(postgres(?:ql)?):\/\/(?:([^@/?#]*)@)?([^/?#]*)(\/[^?#]*)?(\?[^#]*)?$/;

export function isPostgresUrl(s: string): boolean {
  return /^postgres(ql)?:\/\//.test(s.trim());
}

export function redactPgUrl(s: string): string {
  return s.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@').replace(/([?&]password=)[^&]*/, '$1***');
}

export function parsePgTarget(connectionString: string): PgTarget {
  const s = connectionString.trim();
  const shown = redactPgUrl(s);
  const m = URL_RE.exec(s);
  if (!m) throw new Error(`PostgreSQL 连接串无效（${shown}）：应为 postgres://用户@主机:端口[,主机:端口…]/数据库`);
  const [, scheme, userinfo, hostList, path = '', query = ''] = m;
  const params = new URLSearchParams(query.slice(1));
  const tsa = params.get('target_session_attrs') ?? 'read-write';
  if (tsa !== 'read-write' && tsa !== 'any') throw new Error(`PostgreSQL 连接串无效（${shown}）：target_session_attrs 只支持 read-write 或 any`);
  params.delete('target_session_attrs');
  const rest = params.toString();
  const hosts = (hostList || '127.0.0.1')
    .split(',')
    .filter((h) => h.length > 0)
    .map((h) => `${scheme}://${userinfo !== undefined ? `${userinfo}@` : ''}${h}${path}${rest ? `?${rest}` : ''}`);
  if (hosts.length === 0) throw new Error(`PostgreSQL 连接串无效（${shown}）：没有主机`);
  return { hosts, targetSessionAttrs: tsa, shown };
}

/** Network failures, a server shutting down or starting, a standby refusing writes: retry later. */
export function isTransientPgError(e: unknown): boolean {
  if (e instanceof StoreUnavailableError) return true;
  const err = e as { code?: string; message?: string } | undefined;
  const code = err?.code ?? '';
  if (/^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN)$/.test(code)) return true;
  // SQLSTATE class 08 (connection exception), 57P01-57P03 (shutdown, crash, cannot connect now),
  // 25006 (read-only transaction: a standby), 53300 (too many connections), 40001/40P01 (retry).
  if (/^08/.test(code) || /^57P0[123]$/.test(code) || code === '25006' || code === '53300' || code === '40001' || code === '40P01') return true;
  const msg = err?.message ?? '';
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended|not queryable/i.test(msg);
}

/** The first host of the list that answers (and accepts writes, for read-write). */
export async function findHost(target: PgTarget, connectTimeoutMs: number): Promise<string> {
  const reasons: string[] = [];
  for (const host of target.hosts) {
    const c = new (loadPg().Client)({ connectionString: host, connectionTimeoutMillis: connectTimeoutMs });
    c.on('error', () => undefined);
    try {
      await c.connect();
      if (target.targetSessionAttrs === 'read-write') {
        const ro = (await c.query('SHOW transaction_read_only')).rows[0]?.transaction_read_only;
        if (ro !== 'off') {
          reasons.push(`${redactPgUrl(host)}：只读（备机）`);
          continue;
        }
      }
      return host;
    } catch (e) {
      reasons.push(`${redactPgUrl(host)}：${e instanceof Error ? e.message || (e as { code?: string }).code : String(e)}`);
    } finally {
      await c.end().catch(() => undefined);
    }
  }
  throw new StoreUnavailableError(`无法连接可写的 PostgreSQL（${target.shown}）：${reasons.join('；')}`);
}
