import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { ensurePrivateDir } from '../../../../libs/event-store/src';
import { join } from 'node:path';
import { ROLES, ROLE_RANK, Role } from '../../../../libs/contract/src';
import { TokenEntry, readTokenSpec } from '../../../../libs/runtime/src';

export { ROLES } from '../../../../libs/contract/src';
export type { Role } from '../../../../libs/contract/src';
export type { TokenEntry } from '../../../../libs/runtime/src';
/** Each role may do what the roles before it may: reader < reviewer < editor < admin. */
export const roleRank = (r: Role) => ROLE_RANK[r];

export interface TokenSource {
  entries: TokenEntry[];
  /** Where they were generated, when they were. */
  file?: string;
  generated: boolean;
}

/** `name:role:token,…` as in QUANZE_TOKENS (libs/runtime readTokenSpec, the rules the configuration check applies): the first problem refuses. */
export function parseTokens(spec: string): TokenEntry[] {
  const { entries, problems } = readTokenSpec(spec);
  if (problems.length) throw new Error(`QUANZE_TOKENS：${problems[0].zh} / ${problems[0].en}`);
  return entries;
}

/** Tokens from the environment, or from `<dataDir>/tokens.json`, generated there (mode 0600) on first start. */
export function loadTokens(tokensEnv: string | undefined, dataDir: string): TokenSource {
  if (tokensEnv) return { entries: parseTokens(tokensEnv), generated: false };
  const file = join(dataDir, 'tokens.json');
  if (existsSync(file)) {
    const entries = JSON.parse(readFileSync(file, 'utf8')) as TokenEntry[];
    return { entries: parseTokens(entries.map((e) => `${e.name}:${e.role}:${e.token}`).join(',')), file, generated: false };
  }
  ensurePrivateDir(dataDir);
  const entries: TokenEntry[] = ROLES.slice()
    .reverse()
    .map((role) => ({ name: role, role, token: randomBytes(24).toString('base64url') }));
  writeFileSync(file, JSON.stringify(entries, null, 2) + '\n', { mode: 0o600 });
  chmodSync(file, 0o600);
  return { entries, file, generated: true };
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** Constant-time lookup: every token is compared, by digest, whatever matches. */
export class TokenVerifier {
  private readonly digests: Array<{ d: Buffer; entry: TokenEntry }>;
  constructor(entries: TokenEntry[]) {
    this.digests = entries.map((entry) => ({ d: digest(entry.token), entry }));
  }
  /** Tokens already verified: a known token is found without hashing (at most one entry per token). */
  private readonly verified = new Map<string, TokenEntry>();

  verify(presented: string): TokenEntry | undefined {
    const cached = this.verified.get(presented);
    if (cached) return cached;
    const found = this.verifyByDigest(presented);
    if (found) this.verified.set(presented, found);
    return found;
  }

  private verifyByDigest(presented: string): TokenEntry | undefined {
    const p = digest(presented);
    let found: TokenEntry | undefined;
    for (const { d, entry } of this.digests) if (timingSafeEqual(d, p) && !found) found = entry;
    return found;
  }
}
