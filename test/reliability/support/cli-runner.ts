// `quanze <verb>` from the sources (bin/quanze.js prefers a possibly stale dist/): the crash loop runs
// `rebuild` with it between server lives, and kills it now and then while it writes the snapshot.
import { runCli } from '../../../apps/cli/src/main';

runCli(process.argv).catch((e) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
