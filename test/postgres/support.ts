import { rmSync } from 'node:fs';
import { ServerChild } from '../reliability/support/child';
import { SECRETS, TOKENS_ENV, tempDir } from '../reliability/support/harness';
import { forgetAgent } from '../reliability/support/http';
import { choosePort, testPortRange } from '../../libs/event-store/src/testing/postgres-server';

/** An API process of its own (own data dir, own read model, own port of QUANZE_TEST_PORTS) on a PostgreSQL log. */
export class PgApi {
  readonly dir = tempDir('pg-api');
  child?: ServerChild;
  url = '';

  constructor(private readonly eventstore: string) {}

  async start(): Promise<string> {
    const port = await choosePort(testPortRange());
    this.child = new ServerChild({ dataDir: this.dir, tokensEnv: TOKENS_ENV, secrets: SECRETS, env: { QUANZE_EVENTSTORE: this.eventstore, PORT: String(port) } });
    this.url = await this.child.start(90_000);
    return this.url;
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (this.url) forgetAgent(this.url);
    await this.child?.kill(signal);
  }

  async remove(): Promise<void> {
    await this.kill('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }
}
