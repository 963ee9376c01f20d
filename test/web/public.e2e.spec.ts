import { readFileSync } from 'node:fs';
import * as XLSX from '@e965/xlsx';
import type { Page } from 'playwright-core';
import { TOKENS, doc } from '../support/app';
import { SHOTS, a11y, clean, describeWeb, docShot, shot } from './harness';

/**
 * 公示 in the browser (issue 16 item 5): anyone, without a token, finds a region's published lists, the
 * editions current and past, the list by department and by type, a search, an item across editions, the
 * permalink of an edition, its print and its xlsx. Records made after the editions (a new department,
 * a new item, a second lead on a published item) never show; the page asks only /api/public/… and
 * sends no token; axe finds nothing on any page.
 */
describeWeb('web: 公示 (the public list, no sign-in)', (env) => {
  const LATER = { department: '克拉玛依市数据资源管理局', item: '对违规采集公共数据行为的处罚', code: 'LATE1', document: '克政办发〔2024〕77号' };
  const admin = async (path: string, body: object, status = 201) => {
    const r = await env.t.post(path, body, 'admin');
    expect([r.status, r.body.code, r.body.message]).toEqual([status, undefined, undefined]);
    return r.body;
  };
  const eventIds: string[] = [];

  beforeAll(async () => {
    // 55 more items for 农业农村局: more than one page of the table (50 a page), all of them in print
    for (let n = 1; n <= 55; n++) {
      const code = `N${String(n).padStart(2, '0')}`;
      await env.api('/api/catalog/items', { code, name: `农业行政检查事项第${n}项`, type: '行政检查', basis: ['《中华人民共和国农业法》'], levels: ['city'], effectiveFrom: '2019-01-01', document: doc('新编办〔2019〕1号') }, 201);
      await env.api(`/api/regions/650200/items/${code}/assign`, { departmentId: 'KLMY-NYNCJ', effectiveFrom: '2019-06-01', document: doc('克政办发〔2019〕3号') });
    }
    // two editions: 2021 (P1 still with 人社局) and 2023 (P1 transferred to 医保局 on 2022-01-01)
    eventIds.push(...(await admin('/api/regions/650200/editions', { number: '2021年版', title: '克拉玛依市权责清单（2021年版）', effectiveFrom: '2021-01-01', publishedOn: '2021-01-20', document: doc('克政办发〔2021〕1号') })).eventIds);
    eventIds.push(...(await admin('/api/regions/650200/editions', { number: '2023年版', title: '克拉玛依市权责清单（2023年版）', effectiveFrom: '2023-01-01', publishedOn: '2023-01-16', document: doc('克政办发〔2023〕2号') })).eventIds);
    // recorded after both: a new department, a new item it holds, a second lead on a published item
    eventIds.push(...(await env.api('/api/departments', { id: 'KLMY-SJJ', name: LATER.department, regionCode: '650200', effectiveFrom: '2022-06-01', document: doc(LATER.document) }, 201)).eventIds);
    eventIds.push(...(await env.api('/api/catalog/items', { code: LATER.code, name: LATER.item, type: '行政处罚', basis: ['《中华人民共和国数据安全法》'], levels: ['city'], effectiveFrom: '2019-01-01', document: doc(LATER.document) }, 201)).eventIds);
    eventIds.push(...(await env.api(`/api/regions/650200/items/${LATER.code}/assign`, { departmentId: 'KLMY-SJJ', effectiveFrom: '2022-06-01', document: doc(LATER.document) })).eventIds);
    const conflict = await env.api('/api/regions/650200/items/P2/assign', { departmentId: 'KLMY-SJJ', effectiveFrom: '2022-06-01', document: doc(LATER.document) });
    expect(conflict.warnings.map((w: any) => w.code)).toContain('CONFLICT');
    eventIds.push(...conflict.eventIds, env.recorded.wrongTransferId);
  });

  /** A fresh tab that records every API request the page makes (and whether it carried a token). */
  const openPublic = async () => {
    const { page, watch } = await env.open();
    const asked: string[] = [];
    page.on('request', (r) => {
      const u = new URL(r.url());
      if (u.pathname.startsWith('/api/')) asked.push(`${u.pathname}${r.headers().authorization ? ' WITH TOKEN' : ''}`);
    });
    return { page, watch, asked };
  };
  /** Nothing of what was recorded later, no actor, token or event id, in what the page shows or holds. */
  const nothingUnpublished = async (page: Page) => {
    const html = await page.content();
    const forbidden = [LATER.department, LATER.item, LATER.code, LATER.document, '职责交叉', ...Object.keys(TOKENS).map((r) => `${r}-user`), ...Object.values(TOKENS), ...eventIds];
    expect(forbidden.filter((f) => html.includes(f))).toEqual([]);
  };
  const ready = (page: Page) => page.locator('.pub-list[aria-busy="false"]').waitFor();
  const rows = (page: Page) => page.locator('table.items tbody tr:not(.print-only)');

  test('from the front page to an edition: current and past editions, by department, by type, search', async () => {
    const { page, watch, asked } = await openPublic();
    await page.goto(`${env.base}/public/`);
    await expect(page.locator('h1')).toHaveText('权责清单公示');
    await expect(page.locator('table.regions')).toContainText('克拉玛依市');
    await expect(page.locator('table.regions')).toContainText('2023年版');
    expect(await a11y(page)).toEqual([]);
    await page.getByRole('link', { name: '克拉玛依市' }).click();
    // the current edition by default; the past one listed beside it
    await expect(page.locator('h1')).toHaveText('克拉玛依市权责清单（2023年版）');
    await expect(page.locator('h1')).toBeFocused();
    await ready(page);
    await expect(page.locator('.edition-facts')).toContainText('克政办发〔2023〕2号');
    await expect(page.locator('.edition-facts .state')).toHaveText('现行');
    await expect(page.locator('table.editions tbody tr')).toHaveCount(2);
    await expect(page.locator('table.editions tbody tr').nth(1)).toContainText('历史');
    await expect(page.locator('.pub-count')).toHaveText('共 58 项');
    await expect(rows(page)).toHaveCount(50);
    await expect(page.locator('table.items tbody tr')).toHaveCount(58);
    await page.getByRole('button', { name: '下一页' }).click();
    await expect(rows(page)).toHaveCount(8);
    await expect(page.getByRole('navigation', { name: '分页' })).toContainText('第 2 / 2 页');
    await nothingUnpublished(page);
    expect(await a11y(page)).toEqual([]);
    await shot(page, 'public-edition');
    await docShot(page, 'web-public', ['.edition-facts', 'table.items']);

    // by department: the select, and the list of departments with their counts
    await page.getByLabel('实施部门').selectOption({ label: '克拉玛依市医疗保障局（1）' });
    await expect(page).toHaveURL(/department=/);
    await ready(page);
    await expect(page.locator('.pub-count')).toContainText('部门“克拉玛依市医疗保障局”：1 项');
    await expect(rows(page)).toHaveCount(1);
    await expect(rows(page).first()).toContainText('对以欺诈、伪造证明材料等手段骗取社会保险待遇的处罚');
    await page.getByRole('link', { name: '清除筛选' }).click();
    await ready(page);
    await expect(page.locator('.pub-count')).toHaveText('共 58 项');
    // by type, from the list of types
    await page.getByRole('region', { name: '按权力类型' }).getByRole('link', { name: '行政处罚' }).click();
    await expect(page).toHaveURL(/type=/);
    await expect(page.locator('.pub-count')).toContainText('类型“行政处罚”：2 项');
    await expect(rows(page)).toHaveCount(2);
    // search by keyboard: Tab from the type filter's link back to the search box is long; focus it by its label
    await page.getByRole('link', { name: '清除筛选' }).click();
    await ready(page);
    await page.getByLabel('搜索事项名称或编码').focus();
    await page.keyboard.type('土壤');
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/q=/);
    await ready(page);
    await expect(page.locator('.pub-count')).toContainText('含“土壤”：1 项');
    await expect(rows(page)).toHaveCount(1);
    await expect(rows(page).first()).toContainText('P3');
    // the back button restores the previous filter
    await page.goBack();
    await ready(page);
    await expect(page.locator('.pub-count')).toHaveText('共 58 项');
    await expect(page.getByLabel('搜索事项名称或编码')).toHaveValue('');
    // only the public API, never with a token
    expect(asked.length).toBeGreaterThan(3);
    expect(asked.filter((a) => !a.startsWith('/api/public/') || a.includes('WITH TOKEN'))).toEqual([]);
    clean(watch);
  });

  test('a past edition by its permalink, an item across editions, print and xlsx', async () => {
    const { page, watch, asked } = await openPublic();
    await page.goto(`${env.base}/public/?region=650200&edition=${encodeURIComponent('2021年版')}`);
    await expect(page.locator('h1')).toHaveText('克拉玛依市权责清单（2021年版）');
    await ready(page);
    await expect(page.locator('.edition-facts .state')).toHaveText('历史');
    await expect(page.locator('.permalink')).toHaveText(`${env.base}/public/?region=650200&edition=2021年版`);
    await expect(page.locator('.permalink')).toHaveAttribute('href', `${env.base}/public/?region=650200&edition=${encodeURIComponent('2021年版')}`);
    const p1 = page.locator('table.items tbody tr').filter({ hasText: 'P1' });
    await expect(p1).toContainText('克拉玛依市人力资源和社会保障局（牵头）');
    await nothingUnpublished(page);

    // print: the edition's facts and every row, no controls
    const printed = await page.evaluate(() => {
      const w = globalThis as any;
      w.__printed = 0;
      w.print = () => (w.__printed += 1);
      return w.__printed;
    });
    expect(printed).toBe(0);
    await page.getByRole('button', { name: '打印本版' }).click();
    expect(await page.evaluate(() => (globalThis as any).__printed)).toBe(1);
    await page.emulateMedia({ media: 'print' });
    await expect(page.locator('.pub-filters')).not.toBeVisible();
    await expect(page.locator('table.editions')).not.toBeVisible();
    await expect(page.locator('.permalink')).toBeVisible();
    const visibleRows = await page.locator('table.items tbody tr').evaluateAll((trs) => trs.filter((tr) => (tr as any).getClientRects().length > 0).length);
    expect(visibleRows).toBe(58);
    await page.pdf({ path: `${SHOTS}/public-print.pdf`, format: 'A4', landscape: true });
    await page.emulateMedia({ media: 'screen' });

    // the xlsx of this edition, by the link
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '下载本版 Excel（.xlsx）' }).click()]);
    expect(download.suggestedFilename()).toBe('克拉玛依市权责清单-2021年版.xlsx');
    const wb = XLSX.read(readFileSync((await download.path())!), { type: 'buffer' });
    expect(wb.SheetNames).toEqual(['权责清单']);
    const csv = XLSX.utils.sheet_to_csv(wb.Sheets['权责清单']);
    expect(csv).toContain('克拉玛依市 权责清单（2021年版）');
    expect(csv).toContain('克拉玛依市人力资源和社会保障局');
    expect(csv).not.toContain(LATER.department);

    // the item across editions: 人社局 in 2021, 医保局 in 2023 (P1 is on the second page, after N01…N55)
    await page.getByRole('button', { name: '下一页' }).click();
    await p1.getByRole('link').click();
    await expect(page.locator('h1')).toHaveText('对以欺诈、伪造证明材料等手段骗取社会保险待遇的处罚（P1）');
    await expect(page.locator('h1')).toBeFocused();
    const eds = page.locator('table.item-editions tbody tr');
    await expect(eds).toHaveCount(2);
    await expect(eds.nth(0)).toContainText('2023年版');
    await expect(eds.nth(0)).toContainText('克拉玛依市医疗保障局（牵头）');
    await expect(eds.nth(1)).toContainText('2021年版');
    await expect(eds.nth(1)).toContainText('克拉玛依市人力资源和社会保障局（牵头）');
    expect(await a11y(page)).toEqual([]);
    await nothingUnpublished(page);
    // P2 got a second lead after the editions: the public item page still shows one department
    await page.goto(`${env.base}/public/?region=650200&item=P2`);
    await expect(page.locator('table.item-editions tbody tr').first()).toContainText('克拉玛依市农业农村局（牵头）');
    await nothingUnpublished(page);
    // an item only recorded later is not in any published edition
    watch.allow.push({ status: 404, url: /\/api\/public\/items\/LATE1/ });
    await page.goto(`${env.base}/public/?region=650200&item=${LATER.code}`);
    await expect(page.getByRole('alert')).toContainText('不在 克拉玛依市 已公布的任何版本中');
    expect(asked.filter((a) => !a.startsWith('/api/public/') || a.includes('WITH TOKEN'))).toEqual([]);
    clean(watch);
  });

  test('the keyboard reaches every control in order; an unknown edition says so', async () => {
    const { page, watch } = await openPublic();
    await page.goto(`${env.base}/public/?region=650200`);
    await ready(page);
    // Tab from the top: the skip link first, then the site link, then the content
    await page.keyboard.press('Tab');
    await expect(page.getByRole('link', { name: '跳到正文' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.locator('main#main')).toBeFocused();
    const order: string[] = [];
    for (let n = 0; n < 8; n++) {
      await page.keyboard.press('Tab');
      order.push(await page.evaluate(() => {
        const el = (globalThis as any).document.activeElement;
        return `${el.tagName.toLowerCase()}:${el.id || el.textContent.trim().slice(0, 20)}`;
      }));
    }
    // the breadcrumbs, the permalink, print, download, the editions, … in reading order
    expect(order.slice(0, 6)).toEqual(['a:公示首页', expect.stringMatching(/^a:http/), 'button:打印本版', 'a:下载本版 Excel（.xlsx）', 'a:.xlsx（2023年版）', 'a:2021年版']);
    await page.goto(`${env.base}/public/?region=650200&edition=${encodeURIComponent('1999年版')}`);
    await expect(page.getByRole('alert')).toContainText('没有版本“1999年版”');
    expect(await a11y(page)).toEqual([]);
    clean(watch);
  });
});
