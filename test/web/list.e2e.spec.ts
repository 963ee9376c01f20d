import { readFileSync } from 'node:fs';
import { doc } from '../support/app';
import type { Page } from 'playwright-core';
import { choose, clean, describeWeb, docShot, go, shot, signIn, typeDate } from './harness';

/** Visible form controls and buttons without an accessible name (a label, aria-label(ledby), or text). */
const unlabelled = (page: Page) =>
  page.evaluate(() => {
    const doc = (globalThis as any).document;
    const named = (el: any) =>
      (el.labels && el.labels.length > 0) ||
      !!el.getAttribute('aria-label') ||
      (el.getAttribute('aria-labelledby') ?? '').split(/\s+/).some((id: string) => id && doc.getElementById(id)?.textContent.trim()) ||
      (el.tagName === 'BUTTON' && (el.textContent.trim() || el.getAttribute('title') || el.querySelector('[aria-label]')));
    return [...doc.querySelectorAll('input:not([type=hidden]), select, textarea, button, [role=combobox]')]
      .filter((el: any) => el.getClientRects().length && (globalThis as any).getComputedStyle(el).visibility !== 'hidden' && !el.closest('[aria-hidden=true]') && !named(el))
      .map((el: any) => el.outerHTML.slice(0, 120));
  });

describeWeb('web: 清单 and 发现', (env) => {
  test('the list on a date: filter by type and department, export, diff between two dates', async () => {
    const { page, watch } = await env.open();
    await signIn(env, page, 'reader');
    await go(page, '#/list?region=650200&at=2023-01-01');
    const rows = page.locator('.list-table tbody tr[data-code]');
    await expect(rows).toHaveCount(3);
    await expect(page.locator('tr[data-code="P1"]')).toContainText('克拉玛依市医疗保障局');
    await expect(page.locator('.list-head')).toContainText('克拉玛依市（650200）权责清单');
    // the type mix: a chart with its text alternative
    await expect(page.locator('.type-mix figcaption')).toContainText('行政处罚 2 项，行政检查 1 项');
    await expect(page.locator('.type-mix svg')).toHaveCount(1);
    expect(await unlabelled(page)).toEqual([]);
    // filters are labelled controls
    await choose(page, page, '类型', /^行政检查/);
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText('公共机构节能监督检查');
    await expect(page).toHaveURL(/type=行政检查/);
    await page.getByRole('button', { name: /^事项/ }).click(); // the total tile shows everything again
    await expect(rows).toHaveCount(3);
    await choose(page, page, '部门', /克拉玛依市生态环境局/);
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toHaveAttribute('data-code', 'P3');
    await expect(page).toHaveURL(/dept=KLMY-STHJJ/);
    await page.getByLabel('搜索').fill('节能');
    await expect(page.locator('.list-table')).toContainText('没有符合条件的事项');
    // by keyboard: 四级四同 → 偏离目录 (none on this date)
    await page.getByRole('button', { name: /^事项/ }).click();
    await page.getByRole('combobox', { name: '四级四同' }).focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/conf=no/);
    await expect(page.locator('.list-table')).toContainText('没有符合条件的事项');
    await page.getByRole('button', { name: /^事项/ }).click();
    await expect(rows).toHaveCount(3);
    await page.getByLabel('搜索').fill('节能');
    await expect(rows).toHaveCount(1);
    await page.getByRole('button', { name: /^事项/ }).click();
    await expect(rows).toHaveCount(3);
    // the whole list as the server's spreadsheet, with a Chinese file name
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /导出 Excel/ }).click()]);
    expect(xlsx.suggestedFilename()).toBe('克拉玛依市权责清单_2023-01-01.xlsx');
    expect(readFileSync(await xlsx.path()).subarray(0, 2).toString('latin1')).toBe('PK');
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /导出 CSV/ }).click()]);
    expect(csv.suggestedFilename()).toBe('克拉玛依市权责清单_2023-01-01.csv');
    const text = readFileSync(await csv.path(), 'utf8');
    expect(text.startsWith('\ufeff事项编码,事项名称')).toBe(true);
    expect(text).toContain('P1,对以欺诈、伪造证明材料等手段骗取社会保险待遇的处罚,行政处罚,克拉玛依市医疗保障局');
    // what changed between two dates
    await typeDate(page, '自', '2021-06-01');
    await typeDate(page, '至', '2023-01-01');
    await page.getByRole('button', { name: '比较' }).click();
    await expect(page.locator('.diff')).toContainText('划转 1 项');
    await expect(page.locator('.diff')).toContainText('克拉玛依市人力资源和社会保障局');
    await expect(page.locator('.diff .move .to')).toHaveText('克拉玛依市医疗保障局');
    await expect(page).toHaveURL(/from=2021-06-01&to=2023-01-01/);
    await shot(page, 'list');
    await docShot(page, 'web-list', ['.list-head', '.list-table']);
    // the address keeps it all: a reload shows the same list and the same comparison
    await page.reload();
    await expect(rows).toHaveCount(3);
    await expect(page.locator('.diff')).toContainText('划转 1 项');
    // an earlier date: P1 still with the 人社局
    await go(page, '#/list?region=650200&at=2021-06-01');
    await expect(page.locator('tr[data-code="P1"]')).toContainText('克拉玛依市人力资源和社会保障局');
    clean(watch);
  });

  test('findings: counts by kind, the ledger; an editor moves a finding on with a note, a reader sees no controls', async () => {
    // more to find, from 2024 on (the list test looks at earlier dates): two lead departments for P3, settled
    // by a 职责分工 clause; a 三定 duty of the 生态环境局 worded like the 医保局's; a list wording off the catalogue
    await env.api('/api/regions/650200/items/P3/assign', { departmentId: 'KLMY-NYNCJ', role: 'lead', effectiveFrom: '2024-01-01', document: doc('克政办发〔2024〕1号') });
    await env.api('/api/boundaries', { regionCode: '650200', matter: '土壤污染责任人后期管理的监管和处罚', leadDepartmentId: 'KLMY-STHJJ', assistingDepartmentIds: ['KLMY-NYNCJ'], itemCodes: ['P3'], effectiveFrom: '2024-03-01', document: doc('克编委〔2024〕2号') }, 201);
    await env.api('/api/departments/KLMY-STHJJ/sanding', {
      duties: [{ id: 'ST-1', text: '负责医疗保障基金监督管理，依法查处医疗保障领域的违法违规行为。' }, { id: 'ST-2', text: '负责土壤污染防治的监督管理。' }],
      internalOrgans: [],
      staffing: { authorized: 40, leaders: 5 },
      effectiveFrom: '2024-01-01',
      document: doc('克编委〔2024〕1号'),
    });
    await env.api('/api/catalog/items', { code: 'P4', name: '对未按规定开展土壤污染状况调查的处罚', type: '行政处罚', basis: ['《中华人民共和国土壤污染防治法》第九十四条'], levels: ['city', 'county'], effectiveFrom: '2019-01-01', document: doc('新编办〔2019〕1号') }, 201);
    await env.api('/api/regions/650200/items/P4/assign', { departmentId: 'KLMY-STHJJ', asPublished: { name: '对未开展土壤污染调查的处罚' }, effectiveFrom: '2024-01-01', document: doc('克政办发〔2024〕1号') });

    const { page, watch } = await env.open();
    await signIn(env, page, 'editor');
    await go(page, '#/findings?region=650200&at=2024-06-01');
    const ledger = page.locator('.ledger-card');
    await expect(ledger).toContainText('发现台账');
    await expect(page.locator('.kind-mix figcaption')).toContainText('部门无三定');
    // the 四级四同 deviation with both wordings; the conflict settled by its clause; the similar duties side by side
    await expect(page.locator('.deviations')).toContainText('对未按规定开展土壤污染状况调查的处罚');
    await expect(page.locator('.deviations')).toContainText('对未开展土壤污染调查的处罚');
    const conflict = page.locator('li.finding.kind-conflict');
    await expect(conflict).toContainText('克拉玛依市生态环境局、克拉玛依市农业农村局');
    await conflict.getByRole('button', { name: /^说明/ }).click();
    await expect(conflict.locator('.settled')).toContainText('土壤污染责任人后期管理的监管和处罚');
    const similar = page.locator('li.finding.kind-similar').first();
    await similar.getByRole('button', { name: /^说明/ }).click();
    await expect(similar.locator('.pair')).toContainText('依法查处医疗保障领域的违法违规行为');
    await expect(similar.locator('.pair')).toContainText('克拉玛依市医疗保障局');
    await expect(similar.locator('.explain')).toContainText('文本相似度');
    await shot(page, 'findings-explained');
    const findings = page.locator('li.finding[data-finding]');
    expect(await findings.count()).toBeGreaterThan(0);
    const first = findings.first();
    const id = (await first.getAttribute('data-finding'))!;
    const mine = page.locator(`li.finding[data-finding="${id}"]`);
    await expect(mine.locator('.status-badge')).toHaveText('待派发');
    // it explains itself
    await mine.getByRole('button', { name: /^说明/ }).click();
    await expect(mine.locator('.explain')).toContainText('存在期间');
    await expect(mine.locator('.explain')).toContainText('尚无状态变更');
    expect(await unlabelled(page)).toEqual([]);
    // dispatched for checking, with a note
    await choose(mine, page, '状态', '核查中');
    await mine.getByLabel('说明', { exact: true }).fill('已派发生态环境局核查');
    await mine.getByLabel('文号', { exact: true }).fill('克编办函〔2024〕3号');
    await mine.getByRole('button', { name: '更新状态' }).click();
    await expect(mine.locator('.status-badge')).toHaveText('核查中');
    await expect(mine.locator('.status-history')).toContainText('待派发 → 核查中：已派发生态环境局核查（克编办函〔2024〕3号）');
    // closing must say why: the field says so before anything is sent
    await choose(mine, page, '状态', '已销号');
    await mine.getByRole('button', { name: '更新状态' }).click();
    await expect(mine.locator('.ant-form-item-explain-error')).toContainText('须填写说明');
    await mine.getByLabel('说明', { exact: true }).fill('经核查，职责已在三定中明确');
    await mine.getByRole('button', { name: '更新状态' }).click();
    await expect(mine.locator('.status-badge')).toHaveText('已销号');
    await shot(page, 'findings');
    await docShot(page, 'web-findings', ['.findings-head', `li.finding[data-finding="${id}"]`]);
    clean(watch);

    // a reader sees the ledger and the statuses, and no controls to change them
    const r = await env.open();
    await signIn(env, r.page, 'reader');
    await go(r.page, '#/findings?region=650200&at=2024-06-01');
    await expect(r.page.locator(`li.finding[data-finding="${id}"] .status-badge`)).toHaveText('已销号');
    await expect(r.page.locator('.status-form')).toHaveCount(0);
    await expect(r.page.getByRole('button', { name: '更新状态' })).toHaveCount(0);
    // the status tiles filter the ledger, and the address keeps the filter
    await r.page.getByRole('button', { name: /^已销号/ }).click();
    await expect(r.page.locator('li.finding[data-finding]')).toHaveCount(1);
    await expect(r.page).toHaveURL(/status=已销号/);
    await r.page.reload();
    await expect(r.page.locator('li.finding[data-finding]')).toHaveCount(1);
    await shot(r.page, 'findings-reader');
    // a server without the findings routes: said plainly, not as an error
    r.watch.allow.push({ status: 404, url: /\/api\/findings\?/ });
    await r.page.route(/\/api\/findings\?/, (route) => route.fulfill({ status: 404, contentType: 'application/json', body: JSON.stringify({ statusCode: 404, message: 'Cannot GET /api/findings', error: 'Not Found' }) }));
    await go(r.page, '#/findings?region=650200&at=2024-06-01&x=1');
    await expect(r.page.locator('.page-findings .result')).toContainText('功能尚未启用');
    clean(r.watch);
  });

  test('the list shows the row\'s own columns as published (责任事项, 追责情形 …), and the diff a revised 追责情形', async () => {
    const fields = { 承办机构: '土壤生态环境科', 责任事项: '1.立案责任\n2.调查责任', 追责情形: '对应当予以制止和处罚的违法行为不予制止、处罚的' };
    await env.api('/api/catalog/items', { code: 'P31', name: '对未按规定开展土壤污染状况调查的处罚', type: '行政处罚', basis: ['《中华人民共和国土壤污染防治法》第九十四条'], levels: ['city'], effectiveFrom: '2024-01-01', document: doc('新编办〔2024〕1号') }, 201);
    await env.api('/api/regions/650200/items/P31/assign', { departmentId: 'KLMY-STHJJ', asPublished: { fields }, effectiveFrom: '2024-01-01', document: doc('克政办发〔2024〕9号') });
    await env.api('/api/regions/650200/items/P31/assign', { departmentId: 'KLMY-STHJJ', asPublished: { fields: { ...fields, 追责情形: '违法实施行政处罚的' } }, effectiveFrom: '2024-07-01', document: doc('克政办发〔2024〕10号') });
    const { page, watch } = await env.open();
    await signIn(env, page, 'reader');
    await go(page, '#/list?region=650200&at=2024-08-01');
    const row = page.locator('tr[data-code="P31"]');
    await expect(row).toContainText('对未按规定开展土壤污染状况调查的处罚');
    await row.getByRole('button', { name: /展开/ }).click();
    const cols = page.locator('.published-columns');
    await expect(cols).toContainText('承办机构');
    await expect(cols).toContainText('土壤生态环境科');
    await expect(cols).toContainText('违法实施行政处罚的');
    await typeDate(page, '自', '2024-02-01');
    await typeDate(page, '至', '2024-08-01');
    await page.getByRole('button', { name: '比较' }).click();
    await expect(page.locator('.diff-table-revised')).toContainText('追责情形');
    await expect(page.locator('.diff-table-revised del')).toHaveText('对应当予以制止和处罚的违法行为不予制止、处罚的');
    // 事项历史: each assignment shows the columns it recorded
    await go(page, '#/history?region=650200&item=P31');
    const assigned = page.locator('li.ev[data-type="ItemAssigned"]');
    await expect(assigned).toHaveCount(2);
    await assigned.last().getByText('清单各列（如公布）').click();
    await expect(assigned.last().locator('.published-columns')).toContainText('违法实施行政处罚的');
    clean(watch);
  });
});
