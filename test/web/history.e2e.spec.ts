import { doc } from '../support/app';
import { a11y, clean, describeWeb, docShot, go, pick, shot, signIn } from './harness';

describeWeb('web: 事项历史, 部门, 争议报告', (env) => {
  test('item history: the replay "as known at" moves the boundary after a correction; retractions struck through', async () => {
    const { page, watch } = await env.open();
    const { recorded } = env;
    await signIn(env, page, 'editor');
    const hist = await env.t.get('/api/items/P1/history?region=650200');
    const moments = [...new Set<string>(hist.body.events.map((e: { recordedAt: string }) => e.recordedAt))].sort();
    const t0 = Date.now();
    await go(page, '#/history?region=650200&item=P1&at=2022-02-01');
    const timeline = page.locator('.timeline');
    const ybj = timeline.locator('tr[data-dept="KLMY-YBJ"]');
    const rsj = timeline.locator('tr[data-dept="KLMY-RSJ"]');
    await expect(ybj).toHaveAttribute('data-from', '2022-01-01');
    env.timings.push(`history page to its timeline: ${Date.now() - t0} ms`);
    await expect(ybj).toHaveAttribute('data-role', 'lead');
    await expect(rsj).toHaveAttribute('data-to', '2022-01-01');
    await expect(timeline).toHaveAttribute('data-as-known-at', '');
    // the chart itself is drawn (ECharts, SVG renderer): bars, axis, lines
    const svg = timeline.locator('.timeline-chart svg');
    await expect(svg).toHaveCount(1);
    const drawn = await svg.evaluate((s) => ({ w: s.getBoundingClientRect().width, h: s.getBoundingClientRect().height, shapes: s.querySelectorAll('path, rect, line, polyline').length, text: s.textContent ?? '' }));
    expect(drawn.w).toBeGreaterThan(600);
    expect(drawn.h).toBeGreaterThan(150);
    expect(drawn.shapes).toBeGreaterThan(10);
    expect(drawn.text).toContain('克拉玛依市医疗保障局');
    expect(drawn.text).toContain('查看日期 2022-02-01');
    await expect(page.locator('.timeline-chart[role="img"]')).toHaveAttribute('aria-label', /负责部门时间轴/);
    await expect(page.locator('.cursor-text')).toContainText('克拉玛依市医疗保障局（牵头）');
    await expect(ybj).toHaveAttribute('data-x', /^\d+$/);
    const xNow = Number(await ybj.first().getAttribute('data-x'));
    // the retracted transfer is struck through, with its retraction
    const wrong = page.locator(`li.ev[data-event-id="${recorded.wrongTransferId}"]`);
    await expect(wrong).toHaveClass(/retracted/);
    await expect(wrong.locator('del')).toContainText('划转');
    await expect(wrong.locator('del')).toContainText('生效日期 2022-03-01');
    await expect(wrong.locator('.ev-retracted-by')).toContainText('生效日期登记错误');
    await expect(wrong.locator('.ev-retracted-by')).toContainText('克编办〔2022〕9号');
    await expect(page.locator('li.ev.retraction')).toHaveCount(1);
    // an editor may retract any standing event (a correction), not one already retracted
    await expect(wrong.locator('a.ev-action')).toHaveCount(0);
    await expect(page.locator('li.ev:not(.retracted):not(.retraction) a.ev-action').first()).toHaveAttribute('href', /^#\/edit\?cmd=retract&eventId=/);
    expect(await a11y(page)).toEqual([]);
    await shot(page, 'history');
    await docShot(page, 'web-history', ['.replay', '.timeline', '.cursor-text', `li.ev[data-event-id="${recorded.wrongTransferId}"]`, 'li.ev.retraction']);
    // replay by keyboard: as known right after the first transfer, the boundary sat on 2022-03-01
    const handle = page.locator('#replay [role="slider"]');
    await expect(handle).toHaveAttribute('aria-valuetext', /现在/);
    await handle.focus();
    await page.keyboard.press('Home');
    await expect(timeline).toHaveAttribute('data-as-known-at', moments[0]);
    const t1 = Date.now();
    for (let i = 0; i < moments.indexOf(recorded.wrongTransfer); i++) await page.keyboard.press('ArrowRight');
    await expect(timeline).toHaveAttribute('data-as-known-at', recorded.wrongTransfer);
    await expect(ybj).toHaveAttribute('data-from', '2022-03-01');
    env.timings.push(`replay to the wrong transfer (${moments.indexOf(recorded.wrongTransfer)} steps): ${Date.now() - t1} ms`);
    await expect(rsj).toHaveAttribute('data-to', '2022-03-01');
    await expect(handle).toHaveAttribute('aria-valuetext', new RegExp(`第 ${moments.indexOf(recorded.wrongTransfer) + 1}/${moments.length} 次登记`));
    await expect(page).toHaveURL(new RegExp(`asKnownAt=${recorded.wrongTransfer.replace(/[.]/g, '\\.')}`));
    await expect(wrong).not.toHaveClass(/retracted/);
    await expect(page.locator('li.ev.future')).toHaveCount(2);
    await expect(page.locator('.cursor-text')).toContainText('克拉玛依市人力资源和社会保障局（牵头）');
    // the boundary glides to its place: wait until it has moved and stopped (two equal reads), not a fixed time
    let xThen = Number.NaN;
    for (const deadline = Date.now() + 20_000; Date.now() < deadline; ) {
      const x = Number(await ybj.first().getAttribute('data-x'));
      if (x === xThen && x > xNow) break;
      xThen = x;
      await page.waitForTimeout(150);
    }
    expect(xThen).toBeGreaterThan(xNow);
    expect(await a11y(page)).toEqual([]); // the greyed (future) events too
    await page.waitForTimeout(800); // for the pictures only (the chart's glide); no assertion depends on it
    await shot(page, 'history-as-known-then');
    await docShot(page, 'web-history-replay', ['.replay', '.timeline', '.cursor-text']);
    // after the retraction and before the new transfer: nobody but RSJ
    await page.keyboard.press('ArrowRight');
    await expect(timeline).toHaveAttribute('data-as-known-at', recorded.retraction);
    await expect(ybj).toHaveCount(0);
    await expect(rsj).toHaveAttribute('data-to', '');
    await expect(wrong).toHaveClass(/retracted/);
    await expect(page.locator('li.ev.future')).toHaveCount(1);
    // and now: the boundary moved back to 2022-01-01
    await page.getByRole('button', { name: '现在' }).click();
    await expect(timeline).toHaveAttribute('data-as-known-at', '');
    await expect(ybj).toHaveAttribute('data-from', '2022-01-01');
    await expect(page.locator('li.ev.future')).toHaveCount(0);
    // the replayed moment is in the address: a reload shows the same picture
    await go(page, `#/history?region=650200&item=P1&at=2022-02-01&asKnownAt=${encodeURIComponent(recorded.wrongTransfer)}`);
    await expect(page.locator('.timeline')).toHaveAttribute('data-as-known-at', recorded.wrongTransfer);
    await expect(page.locator('.timeline tr[data-dept="KLMY-YBJ"]')).toHaveAttribute('data-from', '2022-03-01');
    clean(watch);
  });

  test('item history: two lead departments at once show a red band and say so; a cooperating lane; a reader sees no actor and no retract link', async () => {
    await env.api('/api/regions/650200/items/P3/assign', { departmentId: 'KLMY-RSJ', role: 'cooperating', effectiveFrom: '2020-01-01', document: doc('克政办发〔2020〕1号') });
    await env.api('/api/regions/650200/items/P3/assign', { departmentId: 'KLMY-NYNCJ', effectiveFrom: '2023-01-01', document: doc('克政办发〔2023〕2号') });
    const { page, watch } = await env.open();
    await signIn(env, page, 'reader');
    await go(page, '#/history?region=650200&item=P3&at=2023-06-01');
    const timeline = page.locator('.timeline');
    await expect(timeline.locator('tr[data-dept="KLMY-NYNCJ"]')).toHaveAttribute('data-from', '2023-01-01');
    await expect(timeline.locator('tr[data-dept="KLMY-NYNCJ"]')).toHaveAttribute('data-role', 'lead');
    await expect(timeline.locator('tr[data-dept="KLMY-RSJ"]')).toHaveAttribute('data-role', 'cooperating');
    await expect(timeline.locator('tr[data-dept="KLMY-STHJJ"]')).toHaveAttribute('data-to', '');
    // the band is drawn, and said in words next to the chart
    await expect(timeline.locator('.timeline-chart svg')).toContainText('职责交叉');
    const band = timeline.locator('.conflicts li');
    await expect(band).toHaveAttribute('data-conflict-from', '2023-01-01');
    await expect(band).toContainText('克拉玛依市生态环境局、克拉玛依市农业农村局 同时牵头');
    await expect(page.locator('.cursor-text')).toContainText('职责交叉');
    await expect(page.locator('.cursor-text')).toContainText('克拉玛依市人力资源和社会保障局（配合）');
    // a reader: who recorded an event is not shown, nor the editors' retract link
    await expect(page.locator('li.ev')).toHaveCount(4);
    await expect(page.locator('li.ev .ev-actor')).toHaveCount(0);
    await expect(page.locator('li.ev a.ev-action')).toHaveCount(0);
    // the form drives it too: another item, picked by part of its name
    await pick(page, page, '事项', '节能', /公共机构节能监督检查/);
    await page.getByRole('button', { name: '显示历史' }).click();
    await expect(timeline.locator('tr[data-dept="KLMY-NYNCJ"]')).toHaveAttribute('data-from', '2019-06-01');
    await expect(page).toHaveURL(/#\/history\?region=650200&item=P2&at=2023-06-01$/);
    await expect(timeline.locator('.conflicts')).toHaveCount(0);
    expect(await a11y(page)).toEqual([]);
    await shot(page, 'history-conflict');
    clean(watch);
  });

  test('a department: its 三定 in force, the items it holds, its versions', async () => {
    const { page, watch } = await env.open();
    await signIn(env, page, 'reader');
    await go(page, '#/department?region=650200&id=KLMY-YBJ&at=2023-01-01');
    const dept = page.locator('.dept');
    await expect(dept.locator('h2')).toContainText('克拉玛依市医疗保障局');
    await expect(dept.locator('h2')).toContainText('存续');
    await expect(dept).toContainText('核定编制');
    await expect(dept).toContainText('28 名');
    await expect(dept).toContainText('领导职数');
    await expect(dept.locator('[data-duty="YB-1"]')).toContainText('医疗保障基金监督管理');
    await expect(dept).toContainText('基金监管科');
    await expect(dept.locator('[data-duty="YB-JG-1"]')).toContainText('承担医疗保障基金监督检查工作');
    await expect(dept.locator('.held table')).toContainText('P1');
    await expect(dept.locator('.held table')).toContainText('克编办〔2021〕4号（更正）');
    await expect(dept).toContainText('克编委〔2019〕5号');
    // the form shows what the address asked for
    await expect(page.getByRole('combobox', { name: '部门' }).locator('xpath=ancestor::*[contains(@class,"ant-select")][1]')).toContainText('克拉玛依市医疗保障局');
    expect(await a11y(page)).toEqual([]);
    await shot(page, 'department');
    // as known before the correction was recorded again: the wrong date, then nothing
    await go(page, `#/department?region=650200&id=KLMY-YBJ&at=2023-01-01&asKnownAt=${encodeURIComponent(env.recorded.wrongTransfer)}`);
    await expect(page.locator('.dept .held table')).toContainText('2022-03-01');
    await expect(page.locator('.dept .dept-basis')).toContainText('时的登记');
    await go(page, `#/department?region=650200&id=KLMY-YBJ&at=2023-01-01&asKnownAt=${encodeURIComponent(env.recorded.retraction)}`);
    await expect(page.locator('.dept .held')).toContainText('当日不承担任何事项');
    // on a date when it held nothing yet
    await go(page, '#/department?region=650200&id=KLMY-YBJ&at=2021-06-01');
    await expect(page.locator('.dept .held')).toContainText('当日不承担任何事项');
    // before it existed; its 三定 version is viewable on its own date
    await go(page, '#/department?region=650200&id=KLMY-YBJ&at=2018-01-01');
    await expect(page.locator('.dept h2')).toContainText('尚未设立');
    await expect(page.locator('.dept')).toContainText('没有施行中的“三定”规定');
    await page.locator('.dept .versions').getByRole('button', { name: /查看 2019-03-01 起施行的三定/ }).click();
    await expect(page).toHaveURL(/#\/department\?region=650200&id=KLMY-YBJ&at=2019-03-01/);
    await expect(page.locator('.dept h2')).toContainText('存续');
    await expect(page.locator('.dept')).toContainText('28 名');
    await expect(page.locator('.dept .versions')).toContainText('当日施行');
    clean(watch);
  });

  test('a reviewer opens the dispute report and prints it', async () => {
    const { page, watch } = await env.open();
    await signIn(env, page, 'reviewer');
    await go(page, '#/report?region=650200&item=P1&at=2022-02-01');
    const frame = page.frameLocator('iframe.report-frame');
    await expect(frame.locator('h1')).toHaveText('职责争议证据报告');
    await expect(frame.locator('body')).toContainText('克拉玛依市医疗保障局');
    await expect(frame.locator('body')).toContainText('克编办〔2022〕9号');
    await expect(page.locator('iframe.report-frame')).toHaveAttribute('sandbox', 'allow-same-origin allow-modals');
    // the print dialog cannot show headless: record that the report's own window was asked to print
    await page.evaluate(() => {
      const g = globalThis as any;
      g.document.querySelector('iframe.report-frame').contentWindow.print = () => (g.printed = true);
    });
    await page.getByRole('button', { name: '打印报告' }).click();
    expect(await page.evaluate(() => (globalThis as any).printed)).toBe(true);
    // the JSON, for other systems
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /JSON 数据/ }).click()]);
    expect(download.suggestedFilename()).toBe('争议报告_650200_P1_2022-02-01.json');
    await page.mouse.move(0, 0); // the state at rest, not the hovered button
    expect(await a11y(page)).toEqual([]);
    await shot(page, 'report');
    // it prints: the report's own page rendered to PDF
    const html = await page.locator('iframe.report-frame').getAttribute('srcdoc');
    const pdfPage = await page.context().newPage();
    await pdfPage.setContent(html!);
    const pdf = await pdfPage.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(10_000);
    await pdfPage.close();
    // a reader is not offered the report
    const reader = await env.open();
    await signIn(env, reader.page, 'reader');
    await expect(reader.page.locator('#nav')).not.toContainText('争议报告');
    clean(reader.watch);
    clean(watch);
  });
});
