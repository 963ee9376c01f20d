import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = join(__dirname, '..', '..');

/** `npx quanze <args>` from the sources on the store in `dataDir`: exit code, stdout, stderr. */
export const quanze = (dataDir: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
  run(process.execPath, ['-r', join(root, 'bin/ts-register.js'), join(root, 'apps/cli/src/main.ts'), ...args], { env: { ...process.env, QUANZE_DATA_DIR: dataDir }, cwd: root }).then(
    (r) => ({ code: 0, ...r }),
    (e) => ({ code: e.code as number, stdout: e.stdout as string, stderr: e.stderr as string }),
  );
