import { a11y, clean, describeWeb, go, pick, shot, signIn, typeDate } from './harness';
import { workbook } from '../../libs/import/src/testing/workbooks';

/**
 * The web import's mapping step (issue 15 item 2): a list whose item-name column has a header no synonym
 * knows and content that does not read like item names. 试读表头 records nothing and says the file cannot
 * be read; 指定列 names the column by its header; the retried reading shows the column as 事项名称 with
 * sample rows; the import then sends the same `columns` and records the rows.
 */
const UNKNOWN_HEADER = workbook({
  清单: [
    ['序号', '职能', '权力类型', '实施依据', '行使主体'],
    ['1', '环境监测数据质量抽查', '行政检查', '《中华人民共和国环境保护法》第二十四条', '克拉玛依市生态环境局'],
    ['2', '排污许可证核发后监管', '其他行政权力', '《排污许可管理条例》第二十四条', '克拉玛依市生态环境局'],
  ],
});

describeWeb('web: 导入 with an unknown header — 试读表头, 指定列, then import', (env) => {
  test('the mapping step finds the column the importer could not, and the import records with it', async () => {
    const { page, watch } = await env.open();
    await signIn(env, page, 'editor');
    await go(page, '#/imports');
    await page.getByLabel('清单文件').setInputFiles({ name: '职能清单.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: UNKNOWN_HEADER });
    await expect(page.locator('.ant-upload-list')).toContainText('职能清单.xlsx');
    await pick(page, page, '行政区划', '650200', /克拉玛依市（650200）/);
    await typeDate(page, '生效日期', '2024-06-01');
    await page.getByLabel('文号').fill('克政办发〔2024〕9号');
    await page.getByText('自动设立部门').click();
    const before = (await env.t.get('/api/regions/650200/list?at=2024-06-01')).body;

    // 1. 试读: nothing recorded, the file is named as unreadable, with the reason (the API says 400
    // NO_HEADER when no file of the batch can be read; the page shows it as the reading it is)
    watch.allow.push({ status: 400, url: /\/api\/imports$/ });
    const dry1 = page.waitForResponse((r) => r.url().includes('/api/imports') && r.request().method() === 'POST', { timeout: 90_000 });
    await page.getByRole('button', { name: '试读表头（不登记）' }).click();
    expect((await dry1).status()).toBe(400);
    const mapping = page.locator('.import-mapping');
    await expect(mapping).toContainText('表头识别（试读，未登记任何内容）');
    await expect(mapping.locator('.mapping-errors')).toContainText('职能清单.xlsx');
    await expect(mapping.locator('.mapping-errors')).toContainText('找不到表头');

    // 2. 指定列: 事项名称 is the column headed 职能; the option sent is shown
    const box = mapping.getByRole('combobox', { name: '事项名称列的表头' });
    await box.click();
    await box.fill('职能');
    await page.keyboard.press('Escape');
    await expect(mapping.locator('.columns-option')).toHaveText('事项名称=职能');
    const dry2 = page.waitForResponse((r) => r.url().includes('/api/imports') && r.request().method() === 'POST', { timeout: 90_000 });
    await mapping.getByRole('button', { name: '按指定列重新试读' }).click();
    expect((await dry2).status()).toBe(200);
    await expect(mapping.locator('.mapping-errors')).toHaveCount(0);
    const row = mapping.locator('.mapping tbody tr').filter({ hasText: '职能' });
    await expect(row).toContainText('事项名称');
    await expect(row).toContainText('--columns');
    await expect(mapping.locator('.mapping-samples')).toContainText('环境监测数据质量抽查');
    expect((await env.t.get('/api/regions/650200/list?at=2024-06-01')).body).toEqual(before);
    expect(await a11y(page, '.import-mapping')).toEqual([]);
    await shot(page, 'import-mapping');

    // 3. the import sends the same columns: both rows recorded, the mapping panel gone
    const answered = page.waitForResponse((r) => r.url().includes('/api/imports') && r.request().method() === 'POST', { timeout: 90_000 });
    await page.getByRole('button', { name: '上传并导入' }).click();
    const res = await answered;
    expect(res.status()).toBe(200);
    // (the browser does not expose a multipart body with files; that the rows are recorded at all shows the
    // columns were sent: without them the file has no header, as step 1 showed)
    const result = page.locator('.page-imports .result');
    await expect(result.locator('.stat-recorded')).toContainText('2');
    await expect(page.locator('.import-mapping')).toHaveCount(0);
    const list = (await env.t.get('/api/regions/650200/list?at=2024-06-01')).body;
    expect(JSON.stringify(list)).toContain('环境监测数据质量抽查');
    clean(watch);
  });
});
