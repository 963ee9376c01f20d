import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';

/**
 * The built web app (dist/web: `npm run build` bundles apps/web with Vite), found upwards from here: from
 * the sources (tests) or from dist/ (npm start). QUANZE_WEB_DIR overrides it.
 */
export function webRoot(from = __dirname): string | undefined {
  if (process.env.QUANZE_WEB_DIR) return existsSync(join(process.env.QUANZE_WEB_DIR, 'index.html')) ? resolve(process.env.QUANZE_WEB_DIR) : undefined;
  let dir = resolve(from);
  for (let i = 0; i < 8; i++) {
    const web = join(dir, 'dist', 'web');
    if (existsSync(join(web, 'index.html'))) return web;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return undefined;
}

/**
 * Serves the web app's static files at `/` without a token (they hold no data; every /api call
 * still carries one). Strict headers: same-origin scripts only, no framing by other sites.
 */
export function serveWeb(app: NestExpressApplication): void {
  const root = webRoot();
  if (!root) {
    // Not built (a checkout without `npm run build`): say so at / instead of a bare 404.
    app.getHttpAdapter().get('/', (_req: unknown, res: any) =>
      res.status(503).type('html').send('<!doctype html><meta charset="utf-8"><title>权责清单登记簿</title><p>网页尚未构建：请运行 <code>npm run build</code>（或 <code>npm start</code>，它会先构建）。API 在 <code>/api</code> 照常可用。</p>'),
    );
    return;
  }
  // express.static as @nestjs/platform-express resolves it (the same express the app runs on)
  const express = createRequire(require.resolve('@nestjs/platform-express'))('express') as typeof import('express');
  const files = express.static(root, {
    index: 'index.html',
    dotfiles: 'ignore',
    etag: true,
    setHeaders: (res, path) => {
      // Vite names every asset by its content hash: cache them for good; index.html is checked each time.
      res.setHeader('Cache-Control', /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Referrer-Policy', 'no-referrer');
      res.setHeader(
        'Content-Security-Policy',
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; frame-src 'self' blob: about:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'",
      );
    },
  });
  // Mounted ahead of the routes, so /api requests skip it: no file-system stat() on every API call.
  app.use((req: { path: string }, res: unknown, next: () => void) => (req.path.startsWith('/api/') || req.path === '/api' ? next() : (files as any)(req, res, next)));
}
