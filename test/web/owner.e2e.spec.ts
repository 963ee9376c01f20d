import { clean, describeWeb, docShot, go, pick, shot, signIn, typeDate } from './harness';
import { TOKENS } from '../support/app';

describeWeb('web: sign-in and 谁负责', (env) => {
  test('sign in and ask who owns an item: the department, its date and document', async () => {
    const { page, watch } = await env.open();
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
});
