import { a11y, clean, describeWeb, go, shot, signIn, typeDate } from './harness';

/**
 * 编制资源 on the demo data (made-up staffing of three real departments, libs/demo/SOURCE.md): authorised
 * and actual per category, 使用率 coloured by band, the warnings linked to the ledger, a department's chart
 * over time, and its staffing history on the department page.
 */
describeWeb(
  'web: 编制资源',
  (env) => {
    test('a region on a date: figures per department coloured by band, warnings by colour, the chart of one department', async () => {
      const { page, watch } = await env.open();
      await signIn(env, page, 'reader');
      await expect(page.locator('#nav')).toContainText('编制资源');
      await go(page, '#/staffing?region=650200&at=2024-06-01');
      const table = page.locator('.staffing-table');
      await table.locator('tr[data-dept="KLMY-DAJ"]').waitFor();
      // 档案局: 14 of 20, in the 60–75 % band of indicator 4.1.1
      const daj = table.locator('tr[data-dept="KLMY-DAJ"]');
      await expect(daj).toHaveAttribute('data-band', '60-75');
      await expect(daj.locator('.usage')).toHaveText('70%');
      await expect(daj).toContainText('8 / 6');
      await expect(daj).toContainText('参公事业单位');
      // 统计局 over its authorised staff, 医保局 over its leader posts: red tags linking to the ledger
      const tjj = table.locator('tr[data-dept="KLMY-TJJ"]');
      await expect(tjj).toHaveAttribute('data-over', 'true');
      await expect(tjj.locator('.warn-links a')).toHaveText('超编');
      await expect(tjj.locator('.warn-links a')).toHaveAttribute('href', /#\/findings\?.*kind=overstaffed/);
      await expect(table.locator('tr[data-dept="KLMY-YBJ"] .warn-links a')).toHaveText('超职数');
      await expect(page.locator('.warn-red')).toContainText('红色（合规类）2');
      await expect(page.locator('.warn-blue')).toContainText('蓝色（资源效益类）1');
      // the chart over time: the first department with staff reported, then another picked by its button
      await expect(page.locator('.staffing-trend figcaption')).toContainText('核定');
      await page.getByRole('button', { name: '查看克拉玛依市医疗保障局的编制变化' }).click();
      await expect(page.locator('.staffing-trend h3')).toHaveText('编制变化：克拉玛依市医疗保障局');
      await expect(page.locator('.staffing-trend figcaption')).toContainText('2022-03-01 起 核定 21 名、实有 21 人（使用率 100%）、领导 4/3');
      await expect(page.locator('.staffing-chart-canvas svg')).toHaveCount(1);
      await expect(page).toHaveURL(/#\/staffing\?region=650200&at=2024-06-01.*id=KLMY-YBJ/);
      expect(await a11y(page)).toEqual([]);
      await shot(page, 'staffing');
      // a date before the 招录: 统计局 in the 85–95 % band, no 超编
      await go(page, '#/staffing?region=650200&at=2022-06-01');
      await expect(table.locator('tr[data-dept="KLMY-TJJ"]')).toHaveAttribute('data-band', '85-95');
      await expect(table.locator('tr[data-dept="KLMY-TJJ"] .warn-links a')).toHaveText('使用率偏低');
      // the warning's link opens the ledger on that kind
      await go(page, '#/staffing?region=650200&at=2024-06-01');
      await table.locator('tr[data-dept="KLMY-YBJ"] .warn-links a').click();
      await expect(page).toHaveURL(/#\/findings\?.*kind=over-leaders/);
      await expect(page.locator('li.finding').first()).toContainText('超过核定');
      clean(watch);
    });

    test('the department page shows its staffing history', async () => {
      const { page, watch } = await env.open();
      await signIn(env, page, 'reader');
      await go(page, '#/department?region=650200&id=KLMY-TJJ&at=2024-06-01');
      const history = page.locator('.staffing-history');
      await expect(history.locator('tbody tr')).toHaveCount(2);
      await expect(history.locator('tbody tr').nth(1)).toContainText('招录（演示）');
      await expect(history.locator('tbody tr').nth(1)).toContainText('行政编制14、工勤编制1');
      await expect(page.locator('.sanding')).toContainText('行政机关');
      expect(await a11y(page)).toEqual([]);
      clean(watch);
    });

    test('an editor records 实有人员 by hand (and a 三定 by category): the board follows', async () => {
      const { page, watch } = await env.open();
      await signIn(env, page, 'editor');
      await go(page, '#/edit?cmd=reportActualStaffing&region=650200&id=KLMY-DAJ');
      const form = page.locator('form[data-command="reportActualStaffing"]');
      expect(await a11y(page)).toEqual([]);
      await form.getByLabel('行政编制（名）').fill('8');
      await form.getByLabel('事业编制（名）').fill('12');
      await form.getByLabel('实配领导（按职务）').fill('局长1、副局长1');
      await typeDate(form, '生效日期', '2024-03-01');
      await form.getByLabel('文号').fill('克编办〔2024〕演示10号');
      // no reason: refused at the field, nothing recorded
      watch.allow.push({ status: 400, url: /\/staffing-actual$/ });
      await form.getByRole('button', { name: '提交登记' }).click();
      await expect(form.locator('[data-field="reason"] .ant-form-item-explain-error')).toContainText('变动原因');
      await form.getByLabel('理由（可选）').fill('招录');
      await form.getByRole('button', { name: '提交登记' }).click();
      await expect(form.locator('.ok-card')).toContainText('已登记');
      await go(page, '#/staffing?region=650200&at=2024-06-01');
      const daj = page.locator('.staffing-table tr[data-dept="KLMY-DAJ"]');
      await expect(daj.locator('.usage')).toHaveText('100%');
      await expect(daj).toHaveAttribute('data-band', '');
      // a new 三定 by category: the totals are their sums
      await go(page, '#/edit?cmd=issueSanding&region=650200&id=KLMY-DAJ');
      const sanding = page.locator('form[data-command="issueSanding"]');
      await sanding.getByRole('button', { name: '载入现行三定作底稿' }).click();
      await expect(sanding.getByLabel('领导职数按职务（可选）')).toHaveValue('局长1、副局长1');
      await sanding.locator('[data-field="staffing.categories"]').getByLabel('事业编制（名）').fill('16');
      await typeDate(sanding, '生效日期', '2024-05-01');
      await sanding.getByLabel('文号').fill('克编发〔2024〕演示11号');
      await sanding.getByRole('button', { name: '提交登记' }).click();
      await expect(sanding.locator('.ok-card')).toContainText('已登记');
      await go(page, '#/staffing?region=650200&at=2024-06-01');
      await expect(daj).toContainText('16 / 12');
      await expect(daj.locator('.usage')).toHaveText('83.3%');
      await expect(daj).toHaveAttribute('data-band', '75-85');
      clean(watch);
    });
  },
  { demo: true },
);
