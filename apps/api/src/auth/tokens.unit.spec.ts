import { mkdtempSync, rmSync, statSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkConfig } from '../../../../libs/runtime/src';
import { TokenVerifier, loadTokens, parseTokens } from './tokens';

describe('access tokens', () => {
  test('generated on first start into <data dir>/tokens.json, mode 0600, one per role, random, then reused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'quanze-tokens-'));
    try {
      const first = loadTokens(undefined, dir);
      expect(first.generated).toBe(true);
      expect(statSync(join(dir, 'tokens.json')).mode & 0o777).toBe(0o600);
      expect(first.entries.map((e) => e.role).sort()).toEqual(['admin', 'editor', 'reader', 'reviewer']);
      expect(new Set(first.entries.map((e) => e.token)).size).toBe(4);
      expect(first.entries.every((e) => e.token.length >= 32)).toBe(true);
      const second = loadTokens(undefined, dir);
      expect([second.generated, second.entries]).toEqual([false, first.entries]);
      const other = mkdtempSync(join(tmpdir(), 'quanze-tokens-'));
      expect(loadTokens(undefined, other).entries[0].token).not.toBe(first.entries[0].token);
      rmSync(other, { recursive: true, force: true });
      expect(JSON.parse(readFileSync(join(dir, 'tokens.json'), 'utf8'))).toHaveLength(4);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('QUANZE_TOKENS is parsed strictly', () => {
    expect(parseTokens('a:admin:0123456789abcdef, b:reader:abcdefabcdefabcd').map((e) => e.name)).toEqual(['a', 'b']);
    expect(() => parseTokens('a:boss:0123456789abcdef')).toThrow(/角色 boss 无效/);
    expect(() => parseTokens('a:admin:short')).toThrow(/太短/);
    expect(() => parseTokens('a:admin')).toThrow(/name:role:token/);
  });

  test('verification finds the right principal and nothing for a near miss', () => {
    const v = new TokenVerifier(parseTokens('a:admin:0123456789abcdef,b:reader:abcdefabcdefabcd'));
    expect(v.verify('abcdefabcdefabcd')?.name).toBe('b');
    expect(v.verify('0123456789abcdeF')).toBeUndefined();
    expect(v.verify('')).toBeUndefined();
  });

  test('the server and `quanze config check` read QUANZE_TOKENS by one set of rules: refused by one iff by the other, with the same words', () => {
    const specs = ['a:admin:0123456789abcdef', 'a:boss:0123456789abcdef', 'a:admin:short', 'a:admin', ' , ', 'a:admin:0123456789abcdef,b:reader:tiny', 'a:reader:0123456789abcdef:with:colons'];
    for (const spec of specs) {
      const check = checkConfig({ QUANZE_TOKENS: spec, QUANZE_DATA_DIR: tmpdir() }).problems.filter((p) => p.variable === 'QUANZE_TOKENS');
      let thrown: string | undefined;
      try {
        parseTokens(spec);
      } catch (e) {
        thrown = (e as Error).message;
      }
      expect([spec, thrown === undefined]).toEqual([spec, check.length === 0]);
      if (thrown) expect([spec, thrown]).toEqual([spec, `QUANZE_TOKENS：${check[0].zh} / ${check[0].en}`]);
    }
  });
});
