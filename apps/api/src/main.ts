import { createServer, printBanner } from './server';
import { loadConfig } from './config/config';

async function main() {
  const config = loadConfig();
  const server = await createServer(config);
  printBanner(server);
  const stop = async () => {
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((e) => {
  console.error(`quanze 启动失败：${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
