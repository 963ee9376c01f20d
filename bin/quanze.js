#!/usr/bin/env node
'use strict';
// The CLI `quanze`. Runs the compiled build (npm ci builds it); falls back to compiling on the fly.
// `quanze serve` is the HTTP API's own start (apps/api/src/main.ts): the bin hands it to the CLI, which
// imports nothing from apps/api.
const path = require('path');
const fs = require('fs');
const dist = path.join(__dirname, '..', 'dist', 'apps');
const built = fs.existsSync(path.join(dist, 'cli', 'src', 'main.js'));
if (!built) require('./ts-register.js');
const load = (app) => require(built ? path.join(dist, app, 'src', 'main.js') : path.join(__dirname, '..', 'apps', app, 'src', 'main.ts'));
// SheetJS's codepage tables only when a file needs them (libs/import/src/workbook.ts: lazyCodepages)
try {
  require(built ? path.join(dist, '..', 'libs', 'import', 'src', 'workbook.js') : path.join(__dirname, '..', 'libs', 'import', 'src', 'workbook.ts')).lazyCodepages();
} catch {
  // the tables load as SheetJS loads them
}
load('cli').runCli(process.argv, { serve: () => load('api').serve() });
