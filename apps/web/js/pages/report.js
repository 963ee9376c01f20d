// 争议报告: the dispute report (reviewers) — who was responsible on the date, as recorded then and as
// known now, with the whole chain of evidence — shown as the server renders it, printable.
import { api } from '../api.js';
import { clear, download, h, todayChina } from '../dom.js';
import { dateInput, errorNotice, field, itemPicker, notice, regionPicker } from '../widgets.js';

export default {
  route: 'report',
  title: '争议报告',
  minRole: 'reviewer',
  render({ root, params, setParams }) {
    const region = regionPicker({ value: params.region });
    const item = itemPicker({ value: params.item });
    const at = dateInput(params.at || todayChina());
    const out = h('div', { class: 'result' });
    const form = h(
      'form',
      { class: 'card query no-print', novalidate: true },
      h('p', { class: 'lead' }, '争议发生之日由谁负责：按当日登记与按现有记录（含其后更正）两种口径，附事项版本、三定职责、职责分工条款、全部文件和登记顺序。'),
      h('div', { class: 'grid' }, field('行政区划', region.el, { required: true }), field('事项', item.el, { required: true }), field('争议日期', at, { required: true })),
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn-primary' }, '生成报告')),
    );
    root.append(form, out);
    const run = async () => {
      const q = { region: region.value, item: item.value, at: at.value };
      setParams(q);
      clear(out);
      if (!q.region || !q.item || !q.at) return out.append(notice('info', '请选择区划、事项和日期。'));
      out.append(h('p', { class: 'muted' }, '生成中…'));
      try {
        const html = await api('/api/disputes/report', { query: { ...q, format: 'html' }, text: true });
        const frame = h('iframe', { class: 'report-frame', title: '争议报告（可打印）', sandbox: 'allow-same-origin allow-modals' });
        frame.srcdoc = html;
        frame.addEventListener('load', () => {
          const doc = frame.contentDocument;
          if (doc?.body) frame.style.height = `${Math.max(600, doc.documentElement.scrollHeight + 40)}px`;
        });
        const print = () => frame.contentWindow?.print();
        clear(out).append(
          h(
            'div',
            { class: 'actions no-print' },
            h('button', { type: 'button', class: 'btn-primary', id: 'print-report', onclick: print }, '打印报告'),
            h('button', { type: 'button', class: 'btn-secondary', onclick: () => download(`争议报告_${q.region}_${q.item}_${q.at}.html`, html, 'text/html;charset=utf-8') }, '下载 HTML'),
          ),
          frame,
        );
      } catch (e) {
        clear(out).append(errorNotice(e));
      }
    };
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      run();
    });
    if (params.region && params.item) run();
  },
};
