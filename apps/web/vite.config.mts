import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The web app (issue 8): React + Ant Design (zh_CN) + ECharts, bundled by Vite into dist/web, which the
 * API serves at `/` (apps/api/src/browse/web-static.ts). Everything is bundled: the machines that run
 * it are offline (no CDN, no web fonts). No React plugin: Vite's own transformer compiles JSX with the
 * automatic runtime; Fast Refresh (the plugin's only other use) is a dev-server nicety we do without.
 */
const root = fileURLToPath(new URL('.', import.meta.url));
export default defineConfig({
  root,
  base: './',
  // static files copied as they are (the favicon); apps/web/public/ is the 公示 page's entry (/public/)
  publicDir: 'static',
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: fileURLToPath(new URL('../../dist/web', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    sourcemap: false,
    rolldownOptions: {
      // two pages: the signed-in app at / and the public list (公示) at /public/, no token (src/public)
      input: { main: fileURLToPath(new URL('./index.html', import.meta.url)), public: fileURLToPath(new URL('./public/index.html', import.meta.url)) },
      // ECharts and its renderer in a chunk of their own, loaded only by the pages that draw charts: the
      // sign-in form and 谁负责 must not wait for ~480 KB of chart code whatever way the chunks fall.
      output: {
        codeSplitting: {
          groups: [{ name: 'echarts', test: /node_modules[\\/](echarts|zrender)[\\/]/ }],
        },
      },
      // Ant Design marks its modules "use client" (for React Server Components); meaningless in a bundle.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
