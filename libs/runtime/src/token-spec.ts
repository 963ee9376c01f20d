import { ROLES, Role } from '../../contract/src';

/** A token of QUANZE_TOKENS / tokens.json must be at least this long. */
export const MIN_TOKEN_LENGTH = 16;

export interface TokenEntry {
  name: string;
  role: Role;
  token: string;
}

/** One problem of a token specification, in Chinese and English. */
export interface TokenSpecProblem {
  zh: string;
  en: string;
}

/**
 * The ONE reading of `name:role:token,…` (QUANZE_TOKENS, and tokens.json written back into that form):
 * every entry's problems, all of them (the configuration check reports each; the server refuses to
 * start on the first), and the entries that are good.
 */
export function readTokenSpec(spec: string): { entries: TokenEntry[]; problems: TokenSpecProblem[] } {
  const parts = spec.split(',').map((s) => s.trim()).filter(Boolean);
  const problems: TokenSpecProblem[] = [];
  const entries: TokenEntry[] = [];
  if (parts.length === 0) problems.push({ zh: '为空', en: 'is empty' });
  parts.forEach((part, i) => {
    const [name, role, ...rest] = part.split(':');
    const token = rest.join(':');
    const which = `第 ${i + 1} 项${name ? `（${name}）` : ''}`;
    const whichEn = `entry ${i + 1}${name ? ` (${name})` : ''}`;
    if (!name || !role || !token) problems.push({ zh: `${which}格式应为 name:role:token`, en: `${whichEn} should be name:role:token` });
    else if (!(ROLES as readonly string[]).includes(role)) problems.push({ zh: `${which}的角色 ${role} 无效，应为 ${ROLES.join('/')}`, en: `${whichEn}: role ${role} is not one of ${ROLES.join('/')}` });
    else if (token.length < MIN_TOKEN_LENGTH) problems.push({ zh: `${which}的令牌太短（至少 ${MIN_TOKEN_LENGTH} 个字符）`, en: `${whichEn}: the token is too short (${MIN_TOKEN_LENGTH} characters or more)` });
    else entries.push({ name, role: role as Role, token });
  });
  return { entries, problems };
}
