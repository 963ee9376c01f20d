import type { Locator, Page } from 'playwright-core';
import { a11y, clean, describeWeb, go, signIn, typeDate } from './harness';

/** The dropdown of this very control (a closing one from a previous pick may hold the same names). */
const choose = async (scope: Locator, page: Page, label: string | RegExp, name: string | RegExp) => {
  const box = scope.getByRole('combobox', { name: label });
  await box.click();
  const list = await box.getAttribute('aria-controls');
  await page.locator(`.ant-select-dropdown:has([id="${list}"])`).locator('.ant-select-item-option').filter({ hasText: name }).first().click();
};

/**
 * 调整方案 in the browser (issue 16 item 6): an editor drafts a change set and adds a transfer through the
 * 录入 form with ?changeSet= (nothing in force), previews it, submits; a reviewer approves; an admin
 * publishes it as 2025年版 — and only then does who-owns change. Then the other paths: a return without a
 * note refused, one with a note; a command dropped by the editor; resubmitted and approved; a publish made
 * stale by a transfer recorded meanwhile, refused with the item named and nothing recorded.
 */
describeWeb('web: 调整方案 (drafting → publishing)', (env) => {
  const owner = async () => (await env.t.get('/api/ownership?region=650200&item=P2&at=2024-03-01')).body.owners.map((o: any) => o.departmentId);

  test('draft, add a command by the form, preview, submit, approve, publish', async () => {
    expect(await owner()).toEqual(['KLMY-NYNCJ']);
    const editor = await env.open();
    let page = editor.page;
    await signIn(env, page, 'editor');
    await go(page, '#/change-sets?region=650200');
    await expect(page.locator('#page-title')).toHaveText('调整方案');
    await expect(page.locator('.cs-list')).toContainText('尚无调整方案');
    await page.getByLabel('方案名称').fill('2025年职责调整方案');
    await page.getByRole('button', { name: '新建方案' }).click();
    await expect(page.locator('#cs-title')).toContainText('2025年职责调整方案');
    await expect(page.locator('.cs-head .cs-status')).toHaveText('草稿');
    const id = /id=([^&]+)/.exec(page.url())![1];

    // a transfer through the ordinary form, into the draft
    await page.getByRole('link', { name: '用录入表单添加命令' }).click();
    await expect(page.locator('.cs-banner')).toContainText('正在向调整方案');
    await go(page, `#/edit?cmd=transfer&changeSet=${id}&region=650200&item=P2`);
    const form = page.locator('form[data-command="transfer"]');
    await choose(form, page, '划出部门', /克拉玛依市农业农村局/);
    await choose(form, page, '划入部门', /克拉玛依市生态环境局/);
    await typeDate(form, '生效日期', '2024-03-01');
    await form.getByLabel('文号').fill('克编办〔2024〕12号');
    await form.getByRole('button', { name: '加入调整方案' }).click();
    await expect(form.locator('.notice-drafted')).toContainText('已加入调整方案（第 0 条），尚未生效');
    expect(await owner()).toEqual(['KLMY-NYNCJ']); // nothing in force

    // back to the change set: its command, the preview, submit
    await form.getByRole('link', { name: '回到调整方案' }).click();
    await expect(page.locator('.cs-commands tbody tr')).toHaveCount(1);
    await expect(page.locator('.cs-commands')).toContainText('2024-03-01');
    await page.getByRole('button', { name: '预览' }).click();
    await expect(page.locator('.cs-preview .diff-sum')).toContainText('划转 1 项');
    await expect(page.locator('.cs-preview .diff-table-transferred .move .to')).toHaveText('克拉玛依市生态环境局');
    expect(await a11y(page)).toEqual([]);
    await page.getByRole('button', { name: '提交审核' }).click();
    await expect(page.locator('.cs-head .cs-status')).toHaveText('已提交待审');
    clean(editor.watch);

    // the reviewer approves
    const reviewer = await env.open();
    page = reviewer.page;
    await signIn(env, page, 'reviewer');
    await go(page, `#/change-sets?id=${id}`);
    await expect(page.locator('.cs-head .cs-status')).toHaveText('已提交待审');
    await page.getByLabel('审核意见').fill('同意划转');
    await page.getByRole('button', { name: '审核通过' }).click();
    await expect(page.locator('.cs-head .cs-status')).toHaveText('已审核通过');
    expect(await owner()).toEqual(['KLMY-NYNCJ']);
    clean(reviewer.watch);

    // the admin publishes it as 2025年版
    const admin = await env.open();
    page = admin.page;
    await signIn(env, page, 'admin');
    await go(page, `#/change-sets?id=${id}`);
    await page.getByLabel('发布文号').fill('克政办发〔2025〕3号');
    // 发布日期: today by default (a date typed with Enter would submit the form at once)
    await expect(page.getByLabel('发布日期')).toHaveValue(new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10));
    await page.getByLabel('同时发布为年版（可选）').fill('2025年版');
    await page.getByRole('button', { name: '发布', exact: true }).click();
    await expect(page.locator('.cs-head .cs-status')).toHaveText('已发布');
    await expect(page.locator('.cs-history tbody tr')).toHaveCount(4);
    await expect(page.locator('.cs-history')).toContainText('同意划转');
    expect(await owner()).toEqual(['KLMY-STHJJ']);
    const eds = await env.t.get('/api/regions/650200/editions');
    expect(eds.body.editions.map((e: any) => e.number)).toContain('2025年版');
    expect(await a11y(page)).toEqual([]);
    clean(admin.watch);
  });

  test('returned with a note, a command dropped, resubmitted, approved — then a stale publish refused with nothing recorded', async () => {
    const at = (item: string) => env.t.get(`/api/ownership?region=650200&item=${item}&at=2024-05-02`).then((r) => r.body.owners.map((o: any) => o.departmentId));
    expect(await at('P3')).toEqual(['KLMY-STHJJ']);
    expect(await at('P1')).toEqual(['KLMY-YBJ']);
    // drafted and submitted by the API: two transfers
    const opened = await env.t.post('/api/change-sets', { regionCode: '650200', title: '2024年第二次调整（退回测试）' });
    expect(opened.status).toBe(201);
    const id = opened.body.id as string;
    const change = { effectiveFrom: '2024-05-01', document: { number: '克编办〔2024〕20号' } };
    expect((await env.t.post(`/api/regions/650200/items/P3/transfer?changeSet=${id}`, { fromDepartmentId: 'KLMY-STHJJ', toDepartmentId: 'KLMY-NYNCJ', ...change })).status).toBe(202);
    expect((await env.t.post(`/api/regions/650200/items/P1/transfer?changeSet=${id}`, { fromDepartmentId: 'KLMY-YBJ', toDepartmentId: 'KLMY-RSJ', ...change })).status).toBe(202);
    expect((await env.t.post(`/api/change-sets/${id}/submit`, {})).body.status).toBe('submitted');

    // the reviewer returns it: without a note the page says a note is needed; with one it is returned
    const reviewer = await env.open();
    let page = reviewer.page;
    // a rule of the domain (CHANGESET_NOTE_REQUIRED) is a 409, as every rule is (errors.filter.ts)
    reviewer.watch.allow.push({ status: 409, url: new RegExp(`/api/change-sets/${id}/review$`) });
    await signIn(env, page, 'reviewer');
    await go(page, `#/change-sets?id=${id}`);
    await expect(page.locator('.cs-head .cs-status')).toHaveText('已提交待审');
    await page.getByRole('button', { name: '退回修改' }).click();
    await expect(page.locator('.cs-actions')).toContainText('退回调整方案须写明理由');
    await expect(page.locator('.cs-head .cs-status')).toHaveText('已提交待审');
    await page.getByLabel('审核意见').fill('医保局的划转另案办理，请删去');
    await page.getByRole('button', { name: '退回修改' }).click();
    await expect(page.locator('.cs-head .cs-status')).toHaveText('已退回');
    await expect(page.locator('.cs-history')).toContainText('医保局的划转另案办理，请删去');
    clean(reviewer.watch);

    // the editor drops the second command and resubmits
    const editor = await env.open();
    page = editor.page;
    await signIn(env, page, 'editor');
    await go(page, `#/change-sets?id=${id}`);
    await expect(page.locator('.cs-head .cs-status')).toHaveText('已退回');
    await expect(page.locator('.cs-commands tbody tr')).toHaveCount(2);
    await page.getByRole('button', { name: '删除第 1 条命令' }).click();
    await expect(page.locator('.cs-commands tbody tr')).toHaveCount(1);
    await expect(page.locator('.cs-commands')).toContainText('/items/P3/transfer');
    await expect(page.locator('.cs-commands')).not.toContainText('/items/P1/transfer');
    await page.getByRole('button', { name: '提交审核' }).click();
    await expect(page.locator('.cs-head .cs-status')).toHaveText('已提交待审');
    expect(await a11y(page)).toEqual([]);
    clean(editor.watch);
    expect((await env.t.post(`/api/change-sets/${id}/review`, { decision: 'approve' }, 'reviewer')).body.status).toBe('approved');

    // recorded meanwhile, outside the change set: P3 moves elsewhere first — the draft's transfer no longer applies
    await env.api('/api/regions/650200/items/P3/transfer', { fromDepartmentId: 'KLMY-STHJJ', toDepartmentId: 'KLMY-RSJ', effectiveFrom: '2024-04-01', document: { number: '克编办〔2024〕21号' } });
    const head = (await env.t.get('/api/health')).body;
    const admin = await env.open();
    page = admin.page;
    admin.watch.allow.push({ status: 409, url: new RegExp(`/api/change-sets/${id}/publish$`) });
    await signIn(env, page, 'admin');
    await go(page, `#/change-sets?id=${id}`);
    await page.getByLabel('发布文号').fill('克政办发〔2024〕30号');
    await page.getByRole('button', { name: '发布', exact: true }).click();
    const notice = page.locator('.cs-actions');
    await expect(notice).toContainText('不再适用');
    await expect(notice).toContainText('P3');
    await expect(page.locator('.cs-head .cs-status')).toHaveText('已审核通过');
    // nothing recorded: P3 is where the direct transfer put it, P1 untouched, the log head unchanged
    expect(await at('P3')).toEqual(['KLMY-RSJ']);
    expect(await at('P1')).toEqual(['KLMY-YBJ']);
    expect((await env.t.get('/api/health')).body.store.headPosition).toBe(head.store.headPosition);
    clean(admin.watch);
  });
});
