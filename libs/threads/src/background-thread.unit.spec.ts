import { getPriority } from 'node:os';
import { Worker } from 'node:worker_threads';
import { LOWER_THREAD_PRIORITY_JS } from './background-thread';

/** #22: the store's and the importer's worker threads yield the cores to the thread that answers requests. */
describe('lowerThreadPriority', () => {
  const linux = process.platform === 'linux';
  (linux ? test : test.skip)('in an eval\'d worker (as the append writer and the checkpoint run): that thread at nice 10, the main thread unchanged', async () => {
    const before = getPriority();
    const code = `const { parentPort } = require('node:worker_threads'); const got = ${LOWER_THREAD_PRIORITY_JS.replace(/;$/, '')}; parentPort.postMessage(got);`;
    const got = await new Promise((resolve, reject) => {
      const w = new Worker(code, { eval: true });
      w.once('message', (m) => (resolve(m), void w.terminate()));
      w.once('error', reject);
    });
    expect(got).toBe(Math.max(10, before));
    expect(getPriority()).toBe(before);
  });
});
