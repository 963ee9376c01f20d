import { createServer, printBanner, stopOnSignals } from './server';
import { loadConfig } from '../../../libs/runtime/src';

/** `npm start` and `quanze serve` (bin/quanze.js hands the verb over): start, print the banner, stop on signals. */
export async function serve(): Promise<void> {
  const config = loadConfig();
  const server = await createServer(config);
  stopOnSignals(server);
  printBanner(server);
}

if (require.main === module) {
  serve().catch((e) => {
    console.error(`quanze 启动失败：${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
}
