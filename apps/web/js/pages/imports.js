// 导入: upload published lists (.xls/.xlsx/.csv), watch the upload and the import, read the report of
// rejected rows. Talks to POST /api/imports (multipart), with the CLI's options.
import { api, getToken } from '../api.js';
import { clear, h } from '../dom.js';
import { dateInput, departmentSelect, errorNotice, field, notice, regionPicker, setFieldError, table } from '../widgets.js';
import { ApiError } from '../api.js';

export default {
  route: 'imports',
  title: '导入',
  minRole: 'editor',
  render({ root, params }) {
    const files = h('input', { type: 'file', name: 'files', multiple: true, accept: '.xls,.xlsx,.csv,application/vnd.ms-excel,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv' });
    const region = regionPicker({ value: params.region, onChange: (code) => dept.load(code) });
    const effective = dateInput('', { name: 'effective' });
    const docNo = h('input', { type: 'text', name: 'document' });
    const dept = departmentSelect({ optional: true, optionalLabel: '（按表中“行使主体”匹配）' });
    const createDepts = h('input', { type: 'checkbox', name: 'createDepartments' });
    const asCatalogue = h('input', { type: 'checkbox', name: 'asCatalogue' });
    const wraps = {
      files: field('清单文件', files, { name: 'files', required: true, hint: '可多选；.xls、.xlsx 或 .csv（GBK 编码的 CSV 请另存为 UTF-8）' }),
      region: field('行政区划', region.el, { name: 'region', required: true }),
      effective: field('生效日期', effective, { name: 'effective', required: true }),
      document: field('文号', docNo, { name: 'document', required: true, hint: '公布该清单的文件文号' }),
      department: field('承担部门（可选）', dept.el, { name: 'department', hint: '表中未写明行使主体时，由该部门承担' }),
    };
    const progress = h('progress', { max: '100', value: '0', hidden: true, 'aria-label': '上传进度' });
    const status = h('p', { class: 'muted', 'aria-live': 'polite' });
    const out = h('div', { class: 'result' });
    const submit = h('button', { type: 'submit', class: 'btn-primary' }, '上传并导入');
    const form = h(
      'form',
      { class: 'card', novalidate: true },
      h('p', { class: 'lead' }, '导入各部门公布的权责清单表格：自动识别表头、合并单元格和续行；每一行或被登记，或未变，或被拒绝并说明原因。同一文件重复导入不会重复登记。'),
      h('div', { class: 'grid' }, wraps.files, wraps.region, wraps.effective, wraps.document, wraps.department),
      h('div', { class: 'checks' }, h('label', { class: 'check' }, createDepts, '表中部门不存在时自动设立'), h('label', { class: 'check' }, asCatalogue, '作为目录导入（指导目录，多层级）')),
      h('div', { class: 'actions' }, submit),
      progress,
      status,
    );
    root.append(form, out);

    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      Object.values(wraps).forEach((w) => setFieldError(w, []));
      clear(out);
      const missing = [];
      if (!files.files.length) missing.push('files');
      if (!region.value) missing.push('region');
      for (const m of missing) setFieldError(wraps[m], ['必填']);
      if (missing.length) return;
      const fd = new FormData();
      for (const f of files.files) fd.append('files', f, f.name);
      fd.append('region', region.value);
      if (effective.value) fd.append('effective', effective.value);
      fd.append('document', docNo.value.trim());
      if (dept.value) fd.append('department', dept.value);
      if (createDepts.checked) fd.append('createDepartments', 'true');
      if (asCatalogue.checked) fd.append('asCatalogue', 'true');
      submit.disabled = true;
      progress.hidden = false;
      progress.value = 0;
      status.textContent = '上传中…';
      try {
        let r = await upload(fd, (p) => {
          progress.value = p;
          status.textContent = p < 100 ? `上传中… ${p}%` : '已上传，服务器正在导入…';
        });
        // an import that runs in the background (202 + id): follow it until its report is there
        const id = r && !('rowsRead' in r) && !r.report ? r.id ?? r.jobId : null;
        while (id && !('rowsRead' in r) && !r.report && r.status !== 'failed') {
          status.textContent = `导入中…${r.rowsRead !== undefined ? ` 已读 ${r.rowsRead} 行` : ''}${typeof r.progress === 'number' ? `（${Math.round(r.progress * 100)}%）` : ''}`;
          await new Promise((res) => setTimeout(res, 700));
          r = await api(`/api/imports/${encodeURIComponent(id)}`);
        }
        if (r.status === 'failed') throw new ApiError(500, { code: 'IMPORT_FAILED', message: r.error ?? r.message ?? '导入失败' });
        status.textContent = '导入完成。';
        out.append(reportView(r.report ?? r));
      } catch (err) {
        status.textContent = '';
        for (const f of err.fields ?? []) if (wraps[f.field]) setFieldError(wraps[f.field], f.errors);
        out.append(err.notEnabled ? notice('info', h('strong', {}, '功能尚未启用'), '：服务器还没有提供导入接口（POST /api/imports 返回 404）。在此之前可用命令行：npx quanze import <文件> --region <代码> --effective <日期> --document <文号>') : errorNotice(err));
      } finally {
        submit.disabled = false;
        progress.hidden = true;
      }
    });
  },
};

/** multipart upload with progress (fetch has no upload progress) */
function upload(fd, onProgress) {
  return new Promise((resolve, reject) => {
    const x = new XMLHttpRequest();
    x.open('POST', '/api/imports');
    x.setRequestHeader('Authorization', `Bearer ${getToken()}`);
    x.setRequestHeader('Accept', 'application/json');
    x.upload.onprogress = (e) => e.lengthComputable && onProgress(Math.round((e.loaded / e.total) * 100));
    x.onload = () => {
      let body;
      try {
        body = JSON.parse(x.responseText);
      } catch {
        body = { message: x.responseText.slice(0, 200) };
      }
      if (x.status >= 200 && x.status < 300) resolve(body);
      else reject(new ApiError(x.status, body));
    };
    x.onerror = () => reject(new ApiError(0, { code: 'NETWORK', message: '上传失败：无法连接服务器' }));
    x.send(fd);
  });
}

function reportView(r) {
  const rejected = r.rejected ?? [];
  const filter = h('input', { type: 'search', placeholder: '按文件、工作表或原因筛选', 'aria-label': '筛选被拒绝的行' });
  const box = h('div', {});
  const draw = () => {
    const q = filter.value.trim();
    const rows = rejected.filter((x) => !q || `${x.file} ${x.sheet} ${x.reason}`.includes(q));
    clear(box).append(table([{ label: '文件', cell: (x) => x.file }, { label: '工作表', cell: (x) => x.sheet }, { label: '行', cell: (x) => String(x.row) }, { label: '原因', cell: (x) => x.reason }], rows.slice(0, 500), { caption: `被拒绝的行（${rows.length}）`, empty: '没有被拒绝的行' }));
  };
  filter.addEventListener('input', draw);
  draw();
  const ok = r.recorded + r.unchanged + rejected.length === r.rowsRead;
  return h(
    'section',
    { class: 'card' },
    h('h2', {}, '导入报告'),
    h(
      'div',
      { class: 'chips' },
      h('span', { class: 'chip' }, '读取行数', h('strong', {}, String(r.rowsRead ?? '—'))),
      h('span', { class: 'chip chip-ok' }, '已登记', h('strong', {}, String(r.recorded ?? '—'))),
      h('span', { class: 'chip' }, '未变', h('strong', {}, String(r.unchanged ?? '—'))),
      h('span', { class: `chip ${rejected.length ? 'chip-conflict' : ''}` }, '被拒绝', h('strong', {}, String(rejected.length))),
      r.departmentsCreated !== undefined ? h('span', { class: 'chip' }, '新设部门', h('strong', {}, String(Array.isArray(r.departmentsCreated) ? r.departmentsCreated.length : r.departmentsCreated))) : null,
    ),
    r.rowsRead !== undefined ? h('p', { class: ok ? 'ok' : 'warn' }, ok ? '每一行都有去向：已登记 + 未变 + 被拒绝 = 读取行数。' : '注意：各项之和与读取行数不符。') : null,
    Array.isArray(r.files) && r.files.length
      ? table(
          [
            { label: '文件', cell: (f) => f.file },
            { label: '格式', cell: (f) => [f.format, f.encoding].filter(Boolean).join(' · ') },
            { label: '工作表', cell: (f) => (f.sheets ?? []).map((s) => `${s.sheet}${s.headerRow ? `（表头第 ${s.headerRow} 行）` : ''}`).join('、') },
            { label: '读取', cell: (f) => String(f.rowsRead) },
            { label: '登记', cell: (f) => String(f.recorded) },
            { label: '未变', cell: (f) => String(f.unchanged) },
            { label: '拒绝', cell: (f) => String(f.rejected) },
          ],
          r.files,
          { caption: '各文件' },
        )
      : null,
    Array.isArray(r.departmentsCreated) && r.departmentsCreated.length ? h('p', {}, '新设部门：', r.departmentsCreated.map((d) => `${d.name}（${d.id}）`).join('、')) : null,
    Array.isArray(r.warnings) && r.warnings.length
      ? notice('warn', h('strong', {}, `注意（${r.warnings.length}）`), h('ul', {}, r.warnings.slice(0, 200).map((w) => h('li', {}, `${w.file} · ${w.sheet} · 第 ${w.row} 行：${w.message}（${w.code}）`))))
      : null,
    rejected.length ? filter : null,
    box,
  );
}
