import { rmSync } from 'node:fs';
import { similarNamesCsv } from './reliability/attacks/availability';
import { ServerChild } from './reliability/support/child';
import { ROLE_TOKENS, SECRETS, TOKENS_ENV, tempDir } from './reliability/support/harness';
import { Api, forgetAgent, json, send } from './reliability/support/http';
import { seedWorld } from './reliability/support/seed';

/**
 * #22 item 6 (verified): a server killed (SIGKILL) while an import decides its rows has recorded none of
 * them; restarted, the log holds exactly what it held before the import; a finished import's events all
 * carry the import's id.
 */
describe('an import killed mid-way', () => {
  test('SIGKILL during a 20,000-row import: nothing of it is in the log after a restart', async () => {
    const dir = tempDir('import-killed');
    const child = new ServerChild({ dataDir: dir, tokensEnv: TOKENS_ENV, secrets: SECRETS });
    try {
      let url = await child.start(60_000);
      await seedWorld(new Api(url, ROLE_TOKENS.editor));
      const health = async () => json(await send(url, { method: 'GET', path: '/api/health', timeoutMs: 30_000 }));
      const before = (await health()).store.events;
      const b = '----quanzekill';
      const body = Buffer.concat([
        Buffer.from(['region', '650200', 'effective', '2024-01-01', 'document', '克政办发〔2024〕1号'].reduce((acc, v, i, a) => (i % 2 ? acc : acc + `--${b}\r\nContent-Disposition: form-data; name="${v}"\r\n\r\n${a[i + 1]}\r\n`), '')),
        Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="files"; filename="big.csv"\r\nContent-Type: text/csv\r\n\r\n`),
        similarNamesCsv(20_000),
        Buffer.from(`\r\n--${b}--\r\n`),
      ]);
      const importing = send(url, { method: 'POST', path: '/api/imports', headers: { Authorization: `Bearer ${ROLE_TOKENS.editor}`, 'Content-Type': `multipart/form-data; boundary=${b}` }, body, timeoutMs: 120_000 });
      await new Promise((r) => setTimeout(r, 1500)); // parsing / deciding: well before the append
      await child.kill('SIGKILL');
      const answer = await importing;
      expect(answer.status).not.toBe(200); // the client never got an acknowledgement
      forgetAgent(url);
      url = await child.start(60_000);
      const after = (await health()).store.events;
      expect(typeof before).toBe('number');
      expect(after).toBe(before);
    } finally {
      if (child.running) await child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});
