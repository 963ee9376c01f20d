// Lets a child process run the project's TypeScript directly (crash tests spawn one), compiled by swc.
const swc = require('@swc/core');
const fs = require('fs');
const path = require('path');
const rc = JSON.parse(fs.readFileSync(path.join(__dirname, '../.swcrc'), 'utf8'));
require.extensions['.ts'] = function (module, filename) {
  const { code } = swc.transformSync(fs.readFileSync(filename, 'utf8'), { ...rc, filename, swcrc: false, sourceMaps: 'inline' });
  module._compile(code, filename);
};
