#!/usr/bin/env node
// The registry reachable here serves only this platform's native packages (others answer 404), so
// `npm install` leaves other platforms' optional packages out of package-lock.json and `npm ci` then
// refuses the lock as out of sync. This adds a minimal entry (version, optional) for each missing
// optional dependency; `npm ci` skips them (wrong os/cpu) or tolerates their failure (optional).
// Run after every `npm install`: node scripts/lock-optional-platforms.js
const fs = require('fs');
const path = require('path');
const file = path.join(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
const pkgs = lock.packages;
let added = 0;
const guess = (name) => {
  const os = ['darwin', 'win32', 'linux', 'android', 'freebsd', 'openharmony', 'netbsd', 'openbsd', 'sunos', 'aix'].find((o) => name.includes(o));
  const cpu = ['arm64', 'x64', 'ia32', 'arm', 'ppc64', 's390x', 'riscv64', 'loong64', 'wasm32'].find((c) => new RegExp(`[-_]${c}(\\b|-|_|$)`).test(name));
  return { ...(os ? { os: [os] } : {}), ...(cpu && cpu !== 'wasm32' ? { cpu: [cpu] } : {}) };
};
for (const [where, meta] of Object.entries(pkgs)) {
  for (const [dep, range] of Object.entries(meta.optionalDependencies || {})) {
    const key = `node_modules/${dep}`;
    const nested = `${where}/node_modules/${dep}`;
    if (pkgs[key] || pkgs[nested]) continue;
    const version = String(range).replace(/^[\^~=]/, '');
    if (!/^\d+\.\d+\.\d+/.test(version)) continue;
    pkgs[key] = { version, ...(meta.dev ? { dev: true } : {}), optional: true, ...guess(dep) };
    added++;
  }
}
const sorted = {};
for (const k of Object.keys(pkgs).sort((a, b) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0))) sorted[k] = pkgs[k];
lock.packages = sorted;
fs.writeFileSync(file, JSON.stringify(lock, null, 2) + '\n');
console.log(`lock-optional-platforms: added ${added} optional platform entries`);
