import { readFileSync } from 'node:fs';
import * as XLSX from '@e965/xlsx';
import { doc } from '../support/app';
import { a11y, clean, describeWeb, docShot, go, pick, shot, signIn, typeDate } from './harness';

/**
 * 版本 (issue 16 item 6): a region's editions, the admin publishing one from the page, the diff between two
 * editions with every kind of change (新增, 移出, 划转, 增加牵头部门, 要素变更 with the column), the content
 * hash checked, the downloads, and a reader seeing all of it but no publish form.
 */
describeWeb('web: 版本 (editions)', (env) => {
  beforeAll(async () => {
    const r = await env.t.post('/api/regions/650200/editions', { number: '2021年版', title: '克拉玛依市权责清单（2021年版）', effectiveFrom: '2021-01-01', publishedOn: '2021-01-20', document: doc('克政办发〔2021〕1号') }, 'admin');
    expect([r.status, r.body.code]).toEqual([201, undefined]);
    // between the editions (besides the seed's transfer of P1 on 2022-01-01): a revision, a withdrawal, a new item, a second lead
    await env.api('/api/catalog/items/P2/revise', { name: '公共机构节能监督检查（含能耗统计）', effectiveFrom: '2022-06-01', document: doc('新编办〔2022〕5号') });
    await env.api('/api/regions/650200/items/P3/withdraw', { effectiveFrom: '2022-06-01', document: doc('克政办发〔2022〕6号'), reason: '职能调整' });
    await env.api('/api/catalog/items', { code: 'P4', name: '对违反农药管理规定行为的处罚', type: '行政处罚', basis: ['《农药管理条例》第五十条'], levels: ['city'], effectiveFrom: '2019-01-01', document: doc('新编办〔2019〕1号') }, 201);
    await env.api('/api/regions/650200/items/P4/assign', { departmentId: 'KLMY-NYNCJ', effectiveFrom: '2022-06-01', document: doc('克政办发〔2022〕6号') });
    await env.api('/api/regions/650200/items/P2/assign', { departmentId: 'KLMY-STHJJ', effectiveFrom: '2022-06-01', document: doc('克政办发〔2022〕6号') });
  });

  test('an admin publishes 2023年版 from the page; the diff from 2021年版 shows every kind of change', async () => {
    const { page, watch } = await env.open();
    await signIn(env, page, 'admin');
    await go(page, '#/versions?region=650200');
    await expect(page.locator('#page-title')).toHaveText('版本');
    const rows = page.locator('.editions-table tbody tr[data-edition]');
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText('克政办发〔2021〕1号');
    // publish: the form's own checks first, then the API
    const form = page.getByRole('region', { name: '发布新版本（管理员）' });
    await form.getByRole('button', { name: '发布版本' }).click();
    await expect(form).toContainText('请填写版本号');
    await form.getByLabel('版本号', { exact: true }).fill('2023年版');
    await form.getByLabel('标题（可选）', { exact: true }).fill('克拉玛依市权责清单（2023年版）');
    await typeDate(form, '施行日期', '2023-01-01');
    await typeDate(form, '公布日期', '2023-01-16');
    await form.getByLabel('文号', { exact: true }).fill('克政办发〔2023〕2号');
    const [posted] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/regions/650200/editions') && r.request().method() === 'POST'),
      form.getByRole('button', { name: '发布版本' }).click(),
    ]);
    expect(posted.status()).toBe(201);
    await expect(rows).toHaveCount(2);
    await expect(rows.first()).toHaveAttribute('data-edition', '2023年版');
    await expect(rows.first()).toContainText('最新');
    // the same number again is refused, and says why
    watch.allow.push({ status: 409, url: /\/api\/regions\/650200\/editions$/ });
    await form.getByLabel('版本号', { exact: true }).fill('2023年版');
    await typeDate(form, '施行日期', '2023-01-01');
    await typeDate(form, '公布日期', '2023-01-16');
    await form.getByLabel('文号', { exact: true }).fill('克政办发〔2023〕2号');
    await form.getByRole('button', { name: '发布版本' }).click();
    await expect(form.getByRole('alert')).toContainText('2023年版');
    await expect(rows).toHaveCount(2);

    // the diff, 2021年版 → 2023年版 by default
    const diffCard = page.getByRole('region', { name: '两个版本之间的变化' });
    await diffCard.getByRole('button', { name: '比较版本' }).click();
    const diff = diffCard.locator('.diff');
    await expect(diff.locator('.diff-sum')).toHaveText('2021年版 至 2023年版：新增 1 项，移出 1 项，划转 1 项，增加牵头部门 1 项，要素变更 1 项');
    await expect(diff.locator('.diff-table-added')).toContainText('P4');
    await expect(diff.locator('.diff-table-removed')).toContainText('对土壤污染责任人未按照规定实施后期管理的处罚');
    await expect(diff.locator('.diff-table-transferred .move .from')).toHaveText('克拉玛依市人力资源和社会保障局');
    await expect(diff.locator('.diff-table-transferred .move .to')).toHaveText('克拉玛依市医疗保障局');
    await expect(diff.locator('.diff-table-leadAdded')).toContainText('原有 克拉玛依市农业农村局，增加 克拉玛依市生态环境局');
    await expect(diff.locator('.diff-table-revised')).toContainText('名称：公共机构节能监督检查 → 公共机构节能监督检查（含能耗统计）');
    await expect(diff.locator('.diff-table-revised del')).toHaveText('公共机构节能监督检查');
    await expect(page).toHaveURL(/from=2021/);
    expect(await a11y(page)).toEqual([]);
    await shot(page, 'editions');
    await docShot(page, 'web-editions', ['.editions-card', '.diff-card']);
    clean(watch);
  });

  test('a reader: the hash checked, downloads by edition, the public page linked; no publish form', async () => {
    const { page, watch } = await env.open();
    await signIn(env, page, 'reader');
    await page.getByRole('link', { name: '版本' }).click();
    await expect(page.locator('#page-title')).toHaveText('版本');
    await pick(page, page, '行政区划', '克拉玛依', /克拉玛依市（650200）/);
    await page.getByRole('button', { name: '查看版本' }).click();
    const rows = page.locator('.editions-table tbody tr[data-edition]');
    await expect(rows).toHaveCount(2);
    await expect(page).toHaveURL(/region=650200/);
    expect(await page.getByRole('region', { name: '发布新版本（管理员）' }).count()).toBe(0);
    // the content hash, recomputed by the server from the registry
    await page.getByRole('button', { name: '校验2021年版的内容' }).click();
    await expect(rows.nth(1).locator('.hash-ok')).toHaveText('内容与发布时一致');
    // downloads of the 2021 edition: its list then (P1 still with 人社局, P3 still listed)
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载2021年版 Excel' }).click()]);
    expect(xlsx.suggestedFilename()).toBe('克拉玛依市权责清单-2021年版.xlsx');
    const wb = XLSX.read(readFileSync((await xlsx.path())!), { type: 'buffer' });
    const text = XLSX.utils.sheet_to_csv(wb.Sheets[wb.SheetNames[0]]);
    expect(text).toContain('克拉玛依市 权责清单（2021年版）');
    expect(text).toContain('对土壤污染责任人未按照规定实施后期管理的处罚');
    expect(text).not.toContain('对违反农药管理规定行为的处罚');
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载2023年版 CSV' }).click()]);
    expect(csv.suggestedFilename()).toBe('克拉玛依市权责清单-2023年版.csv');
    expect(readFileSync((await csv.path())!, 'utf8')).toContain('对违反农药管理规定行为的处罚');
    await expect(rows.first().getByRole('link', { name: /公示页/ })).toHaveAttribute('href', `/public/?region=650200&edition=${encodeURIComponent('2023年版')}`);
    // the address keeps the comparison: reopened, the same diff
    await go(page, `#/versions?region=650200&from=${encodeURIComponent('2023年版')}&to=${encodeURIComponent('2021年版')}`);
    await expect(page.locator('.diff-sum')).toContainText('2023年版 至 2021年版：新增 1 项，移出 1 项，划转');
    expect(await a11y(page)).toEqual([]);
    clean(watch);
  });
});
