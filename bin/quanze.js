#!/usr/bin/env node
'use strict';
// The CLI `quanze`. Runs the compiled build (npm ci builds it); falls back to compiling on the fly.
const path = require('path');
const fs = require('fs');
const built = path.join(__dirname, '..', 'dist', 'apps', 'cli', 'src', 'main.js');
if (fs.existsSync(built)) {
  require(built).runCli(process.argv);
} else {
  require('./ts-register.js');
  require('../apps/cli/src/main.ts').runCli(process.argv);
}
