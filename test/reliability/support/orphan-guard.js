// Preloaded into the server children of the reliability harness (node -r): if the harness dies
// without killing them (an aborted run), they exit instead of lingering as orphans.
'use strict';
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.kill(process.pid, 'SIGKILL');
}, 500).unref();
