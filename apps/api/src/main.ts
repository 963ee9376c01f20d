import { createServer, printBanner, stopOnSignals } from './server';
import { loadConfig } from './config/config';

async function main() {
  const config = loadConfig();
  const server = await createServer(config);
  stopOnSignals(server);
  printBanner(server);
}

main().catch((e) => {
  console.error(`quanze 启动失败：${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
