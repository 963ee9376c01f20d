import { createServer, printBanner, stopOnSignals } from './server';
import { checkConfig, formatProblems, loadConfig } from '../../../libs/runtime/src';

/** `npm start` and `quanze serve` (bin/quanze.js hands the verb over): start, print the banner, stop on signals. */
export async function serve(): Promise<void> {
  const { warnings } = checkConfig();
  if (warnings.length) console.warn(`quanze 配置提示 / configuration warnings:\n${formatProblems(warnings)}`);
  const config = loadConfig(); // every problem at once, in Chinese and English (ConfigError)
  const server = await createServer(config);
  stopOnSignals(server, config.shutdownMs);
  printBanner(server);
}

if (require.main === module) {
  serve().catch((e) => {
    console.error(`quanze 启动失败：${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
}
