/** Jest: unit (pure, fast), int (real SQLite store on temp dirs), e2e (real HTTP). */
const swc = ['@swc/jest', { ...require('fs').existsSync('.swcrc') ? JSON.parse(require('fs').readFileSync('.swcrc', 'utf8')) : {}, swcrc: false }];
const common = {
  transform: { '^.+\\.(t|j|mj)s$': swc },
  // Nest 12 ships ESM: let swc transform node_modules too (STACK.md) — but not google-protobuf (used by
  // the EventStoreDB client), whose top-level `this` swc would rewrite to undefined.
  transformIgnorePatterns: ['/node_modules/google-protobuf/'],
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
};
module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/**/*.unit.spec.ts'] },
    { ...common, displayName: 'int', testMatch: ['<rootDir>/{apps,libs,bench,scripts}/**/*.int.spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e.spec.ts'] },
  ],
  testTimeout: 60000,
};
