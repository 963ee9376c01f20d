import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';

/** apps/web of the repository, found upwards from here: from the sources (tests) or from dist/ (npm start). */
export function webRoot(from = __dirname): string | undefined {
  let dir = resolve(from);
  for (let i = 0; i < 8; i++) {
    const web = join(dir, 'apps', 'web');
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
  if (!root) return;
  app.useStaticAssets(root, {
    index: 'index.html',
    dotfiles: 'ignore',
    etag: true,
    setHeaders: (res) => {
      res.setHeader('Cache-Control', 'no-cache');
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Referrer-Policy', 'no-referrer');
      res.setHeader(
        'Content-Security-Policy',
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; frame-src 'self' blob: about:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'",
      );
    },
  });
}
