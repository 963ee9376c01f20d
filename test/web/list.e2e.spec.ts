import { readFileSync } from 'node:fs';
import { choose, clean, describeWeb, docShot, go, shot, signIn, typeDate } from './harness';

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
});
