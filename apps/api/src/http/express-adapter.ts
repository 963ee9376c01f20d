import { NestApplicationOptions } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import * as http from 'node:http';
import { ConnectionLimits, DEFAULT_CONNECTION_LIMITS, serverOptions } from './connection-limits';

interface ExpressPrototypes {
  request: object;
  response: object;
}

/**
 * Request and response classes that Node builds with Express's prototypes already in place: real
 * subclasses of IncomingMessage/ServerResponse whose prototypes inherit from the app's `request` and
 * `response`, which then become the app's prototypes. Express's `Object.setPrototypeOf(req,
 * app.request)` in `app.handle` then finds the prototype already set and changes nothing.
 */
export function expressBornClasses(app: ExpressPrototypes): { IncomingMessage: typeof http.IncomingMessage; ServerResponse: typeof http.ServerResponse } {
  class QuanzeRequest extends http.IncomingMessage {}
  class QuanzeResponse<R extends http.IncomingMessage = http.IncomingMessage> extends http.ServerResponse<R> {}
  Object.setPrototypeOf(QuanzeRequest.prototype, app.request);
  Object.setPrototypeOf(QuanzeResponse.prototype, app.response);
  app.request = QuanzeRequest.prototype;
  app.response = QuanzeResponse.prototype;
  return { IncomingMessage: QuanzeRequest, ServerResponse: QuanzeResponse };
}

/**
 * Express gives each request and response its prototype after Node has built them
 * (`Object.setPrototypeOf(req, app.request)`). On a heap as large as a province's read model that is
 * costly: measured on the generated M log (decision 0006) the API served ~3,100 ownership requests/s,
 * promoted several MB of request garbage into the old generation per scavenge, so each scavenge took
 * ~13 ms (the p99 at 2,000 req/s) and the heap grew by 1 GB within a minute of load. Node builds them
 * here as subclasses that already have Express's prototypes (`http.createServer({ IncomingMessage,
 * ServerResponse })`), so that change never happens. Everything else is Nest's ExpressAdapter.
 */
export class QuanzeExpressAdapter extends ExpressAdapter {
  constructor(private readonly limits: ConnectionLimits = DEFAULT_CONNECTION_LIMITS) {
    super();
  }

  override initHttpServer(options: NestApplicationOptions): void {
    super.initHttpServer(options);
    if (options?.httpsOptions || options?.forceCloseConnections) return; // Nest's own server for those
    const app = this.getInstance() as ExpressPrototypes & http.RequestListener;
    this.httpServer = http.createServer({ ...expressBornClasses(app), ...serverOptions(this.limits) }, app);
  }
}
