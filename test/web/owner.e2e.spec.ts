import { a11y, clean, describeWeb, docShot, go, pick, shot, signIn, typeDate } from './harness';
import { TOKENS } from '../support/app';

describeWeb('web: sign-in and 谁负责', (env) => {
  test('sign in and ask who owns an item: the department, its date and document', async () => {
    const { page, watch } = await env.open();
    const scripts: string[] = [];
    page.on('request', (r) => r.resourceType() === 'script' && scripts.push(r.url()));
    const t0 = Date.now();
    await page.goto(`${env.base}/`);
    await page.locator('html[data-ready="true"]').waitFor();
    await page.getByLabel('访问令牌').waitFor();
    const load = await page.evaluate(() => {
      const n = (globalThis as any).performance.getEntriesByType('navigation')[0];
      return { dcl: Math.round(n.domContentLoadedEventEnd), loaded: Math.round(n.loadEventEnd) };
    });
    env.timings.push(`first page: ${Date.now() - t0} ms to the sign-in form (DOMContentLoaded ${load.dcl} ms, load ${load.loaded} ms)`);
    // a wrong token is refused at the field
    await page.getByLabel('访问令牌').fill('not-a-token-at-all-0000');
    watch.allow.push({ status: 401, url: /\/api\/session$/ });
    await page.getByRole('button', { name: '登录' }).click();
    await expect(page.locator('.ant-form-item-explain-error')).toHaveText(/令牌无效/);
    await page.getByLabel('访问令牌').fill(TOKENS.reader);
    const t1 = Date.now();
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('combobox', { name: '行政区划' }).waitFor();
    env.timings.push(`sign-in to the who-owns form: ${Date.now() - t1} ms`);
    await expect(page.locator('.who')).toContainText('只读用户');
    // a reader sees no editing pages
    await expect(page.locator('#nav')).toContainText('谁负责');
    await expect(page.locator('#nav')).not.toContainText('录入');
    await expect(page.locator('#nav')).not.toContainText('导入');
    // pick the region by searching its name, the item by part of its Chinese name, a date typed
    await pick(page, page, '行政区划', '克拉玛依', /克拉玛依市（650200）/);
    await pick(page, page, '事项', '社会保险', /骗取社会保险待遇/);
    await typeDate(page, /^日期/, '2021-06-01');
    await page.getByRole('button', { name: '查询' }).click();
    const answer = page.locator('article.answer');
    await expect(answer).toHaveAttribute('data-status', 'owned');
    await expect(answer.locator('.owner-name')).toHaveText('克拉玛依市人力资源和社会保障局');
    await expect(answer).toContainText('自 2019-06-01 起负责，依据 克政办发〔2019〕3号');
    await expect(page).toHaveURL(/#\/owner\?region=650200&item=P1&at=2021-06-01/);
    // the charts' code (its own chunk) is not loaded by the sign-in form or this page
    expect(scripts.filter((u) => /echarts/.test(u))).toEqual([]);
    expect(scripts.length).toBeGreaterThan(1);
    await shot(page, 'owner');
    await docShot(page, 'web-owner', ['form.query', 'article.answer']);
    // the region tree: 省 → 市 → 县, by keyboard
    await go(page, '#/owner');
    const region = page.getByRole('combobox', { name: '行政区划' });
    await region.focus();
    await page.keyboard.press('ArrowDown'); // opens the tree
    await page.locator('.ant-select-tree-treenode', { hasText: '新疆维吾尔自治区' }).locator('.ant-select-tree-switcher').click();
    await page.locator('.ant-select-tree-treenode', { hasText: '克拉玛依市' }).locator('.ant-select-tree-switcher').click();
    await page.locator('.ant-select-tree-node-content-wrapper', { hasText: '独山子区（650202）' }).click();
    await expect(page.locator('.ant-select-content, .ant-select-selection-item').first()).toContainText('独山子区（650202）');
    clean(watch);
  });

  test('a department clerk looks up a past date, and the answer as known before the correction', async () => {
    const { page, watch } = await env.open();
    await signIn(env, page, 'reader');
    await go(page, '#/owner?region=650200&item=P1&at=2022-02-01');
    await expect(page.locator('article.answer .owner-name')).toHaveText('克拉玛依市医疗保障局');
    await expect(page.locator('article.answer')).toContainText('按现有记录');
    // as known right after the first (wrong) transfer: it took effect only on 2022-03-01
    const local = new Date(Date.parse(env.recorded.wrongTransfer) + 8 * 3600_000).toISOString().slice(0, 23).replace('T', ' ');
    await typeDate(page, '按某一时刻的登记（可选）', local);
    await page.getByRole('button', { name: '查询' }).click();
    await expect(page.locator('article.answer')).toContainText(`按 ${local}`);
    await expect(page.locator('article.answer .owner-name')).toHaveText('克拉玛依市人力资源和社会保障局');
    await expect(page).toHaveURL(new RegExp(`asKnownAt=${env.recorded.wrongTransfer.replace(/[.]/g, '\\.')}`));
    await shot(page, 'owner-as-known-at');
    // and back to what is known now
    await page.getByRole('button', { name: '清除登记时刻' }).click();
    await page.getByRole('button', { name: '查询' }).click();
    await expect(page.locator('article.answer .owner-name')).toHaveText('克拉玛依市医疗保障局');
    clean(watch);
  });

  test('keyboard only: every control of the who-owns form has a name, and Tab reaches the query button', async () => {
    const { page, watch } = await env.open();
    await signIn(env, page, 'reader');
    await page.getByRole('button', { name: '查询' }).waitFor();
    const unnamed = await page.evaluate(() => {
      const d = (globalThis as any).document;
      return [...d.querySelectorAll('main input, main button, main select, main textarea, main [role=combobox]')]
        .filter((el: any) => el.type !== 'hidden' && el.getAttribute('aria-hidden') !== 'true')
        .filter((el: any) => {
          const id = el.id;
          const byFor = id && d.querySelector(`label[for="${id}"]`);
          const by = el.getAttribute('aria-labelledby');
          return !(el.getAttribute('aria-label') || byFor || (by && d.getElementById(by.split(' ')[0])) || (el.tagName === 'BUTTON' && el.textContent.trim()) || el.closest('label'));
        })
        .map((el: any) => el.outerHTML.slice(0, 120));
    });
    expect(unnamed).toEqual([]);
    // the sign-in form, the query form and an answer, checked by axe-core (WCAG 2.1 A/AA, serious and critical)
    await go(page, '#/owner?region=650200&item=P1&at=2022-02-01');
    await page.locator('article.answer .owner-name').waitFor();
    expect(await a11y(page)).toEqual([]);
    const reached: string[] = [];
    for (let i = 0; i < 25 && !reached.includes('查询'); i++) {
      await page.keyboard.press('Tab');
      reached.push(await page.evaluate(() => ((globalThis as any).document.activeElement?.textContent ?? '').trim()));
    }
    expect(reached).toContain('查询');
    clean(watch);
  });
});
