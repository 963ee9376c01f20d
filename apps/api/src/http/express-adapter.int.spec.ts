import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { expressBornClasses } from './express-adapter';

// The express that @nestjs/platform-express runs on.
const express = createRequire(require.resolve('@nestjs/platform-express'))('express') as typeof import('express');

async function serve(app: http.RequestListener, options: http.ServerOptions = {}): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(options, app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((r) => server.close(() => r())) };
}

describe('requests born with Express prototypes (QuanzeExpressAdapter)', () => {
  test('Express finds the prototype already set: it stays the class Node built, and Express methods work', async () => {
    const app = express();
    const classes = expressBornClasses(app as unknown as { request: object; response: object });
    app.get('/probe', (req, res) => {
      res.json({
        builtByNode: Object.getPrototypeOf(req) === classes.IncomingMessage.prototype && Object.getPrototypeOf(res) === classes.ServerResponse.prototype,
        isIncomingMessage: req instanceof http.IncomingMessage,
        query: req.query,
        header: req.get('x-probe'),
        app: req.app === app,
      });
    });
    const s = await serve(app, classes);
    try {
      const r = await fetch(`${s.url}/probe?a=1`, { headers: { 'x-probe': 'yes' } });
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toMatch(/application\/json/);
      expect(await r.json()).toEqual({ builtByNode: true, isIncomingMessage: true, query: { a: '1' }, header: 'yes', app: true });
    } finally {
      await s.close();
    }
  });

  test('without it Express replaces the prototype of every request (what the adapter avoids)', async () => {
    const app = express();
    app.get('/probe', (req, res) => {
      res.json({ plain: Object.getPrototypeOf(req) === http.IncomingMessage.prototype });
    });
    const s = await serve(app);
    try {
      expect(await (await fetch(`${s.url}/probe`)).json()).toEqual({ plain: false });
    } finally {
      await s.close();
    }
  });
});
