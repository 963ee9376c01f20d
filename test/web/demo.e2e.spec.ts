import { a11y, clean, describeWeb, go, signIn } from './harness';

/**
 * The app as `npm start` serves it: on the real Karamay demo data (libs/demo), every page answers the
 * demo's own questions without a console error or failed request, and passes axe-core.
 */
describeWeb(
  'web on the demo data (npm start)',
  (env) => {
    const transfer = () => env.t.server.demo!.highlights.find((h) => h.what.startsWith('划转'))!;

    test('the first page loads fast; who owns the transferred item before and after 2022-01-01', async () => {
      const { page, watch } = await env.open();
      const t0 = Date.now();
      await page.goto(`${env.base}/`);
      await page.getByLabel('访问令牌').waitFor();
      env.timings.push(`demo data, first page: ${Date.now() - t0} ms to the sign-in form`);
      await signIn(env, page, 'admin');
      const h = transfer();
      await go(page, `#/owner?region=${h.region}&item=${h.item}&at=${h.at[0]}`);
      await expect(page.locator('article.answer .owner-name')).toHaveText('克拉玛依市人力资源和社会保障局');
      await go(page, `#/owner?region=${h.region}&item=${h.item}&at=${h.at[1]}`);
      await expect(page.locator('article.answer .owner-name')).toHaveText('克拉玛依市医疗保障局');
      expect(await a11y(page)).toEqual([]);
      clean(watch);
    });

    test('every page on the demo city: answers shown, no console error, no accessibility violation', async () => {
      const { page, watch } = await env.open();
      await signIn(env, page, 'admin');
      const h = transfer();
      const pages: Array<[string, string]> = [
        [`#/list?region=${h.region}&at=2024-06-01`, 'table tbody tr[data-code]'],
        [`#/history?region=${h.region}&item=${h.item}&at=2022-01-01`, '.timeline[data-as-known-at], .timeline'],
        [`#/department?region=${h.region}&id=KLMY-YBJ&at=2024-06-01`, '.dept h2'],
        [`#/findings?region=${h.region}&at=2024-06-01`, 'li.finding'],
        [`#/report?region=${h.region}&item=${h.item}&at=2021-12-20`, 'iframe.report-frame'],
        ['#/edit?cmd=transfer', 'form[data-command="transfer"]'],
        ['#/imports', 'form'],
      ];
      for (const [hash, ready] of pages) {
        const t0 = Date.now();
        await go(page, hash);
        await page.locator(ready).first().waitFor({ timeout: 20_000 });
        env.timings.push(`${hash.split('?')[0]} ${Date.now() - t0} ms`);
        const found = await a11y(page);
        expect({ hash, found }).toEqual({ hash, found: [] });
      }
      await expect(page.locator('table tbody tr[data-code]')).toHaveCount(0); // left the list page
      clean(watch);
    });
  },
  { demo: true },
);
