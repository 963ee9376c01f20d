import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * What the API loads before it starts (issue 19, "API start from its snapshot"): the server's module
 * graph, required in a plain Node process (jest has its own module registry), leaves the stores it does
 * not use and the spreadsheet library unloaded until first use — each is 0.02–0.17 s of a start.
 */
describe('the API start loads lazily', () => {
  test('pg, @eventstore/db-client and @e965/xlsx are not loaded by the server module, and load on first use', () => {
    const script = `
      require('./apps/api/src/server.ts');
      const loaded = (m) => Object.keys(require.cache).some((f) => f.includes('/node_modules/' + m + '/'));
      const before = ['pg', '@eventstore/db-client', '@e965/xlsx', '@nestjs/swagger'].filter(loaded);
      require('./libs/import/src/workbook.ts').loadSheetJs();
      require('./libs/event-store/src/postgres/pg-client.ts').loadPg();
      process.stdout.write(JSON.stringify({ before, after: ['pg', '@e965/xlsx'].filter(loaded) }));`;
    const out = JSON.parse(execFileSync(process.execPath, ['-r', './bin/ts-register.js', '-e', script], { cwd: join(__dirname, '../../..'), encoding: 'utf8' }));
    // @nestjs/swagger stays: its routes are registered at start (the document is built on first request)
    expect(out).toEqual({ before: ['@nestjs/swagger'], after: ['pg', '@e965/xlsx'] });
  }, 60_000);
});
