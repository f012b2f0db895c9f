// SPDX-License-Identifier: MIT
// Step 1, Load: drop or pick a file, the sample, reading progress and cancel, sheet choice, and
// what was read (rows, columns, inferred types, read problems).
import { h, fill, field, nextId } from './dom.js';
import { formatInt, formatBytes, formatNumber, formatPercent } from '../lib/format.js';

let dropWired = false;
/** Columns listed in the file summary; the rest are counted. */
const COLUMNS_SHOWN = 200;

export function render(app) {
  const { state } = app;
  const body = document.getElementById('load-body');
  fill(
    body,
    dropZone(app),
    pasteBox(app),
    state.loading ? progress(app) : null,
    state.pending ? columnReport(app) : null,
    !state.file && !state.loading && state.restored ? restoredPrompt(app) : null,
    state.file && !state.loading ? summary(app) : null,
  );
  if (!dropWired) {
    // A file dropped anywhere else must not make the browser navigate away from the page.
    for (const ev of ['dragover', 'drop']) document.addEventListener(ev, (e) => e.preventDefault());
    // Ctrl+V outside a text field: a range copied from a spreadsheet is read as data.
    document.addEventListener('paste', (e) => {
      const el = e.target;
      if (el && (el.tagName === 'TEXTAREA' || el.tagName === 'INPUT' || el.isContentEditable)) return;
      const text = e.clipboardData && e.clipboardData.getData('text/plain');
      if (!text || (!text.includes('\n') && !text.includes('\t'))) return;
      e.preventDefault();
      app.files.paste(text);
    });
    dropWired = true;
  }
}

/** "Paste data": a range copied from Excel, Google Sheets or LibreOffice is tab-separated text. */
function pasteBox(app) {
  const { t } = app;
  const area = h('textarea', { id: 'paste-data', rows: 4, attrs: { spellcheck: 'false' } });
  return h(
    'details',
    { class: 'paste' },
    h('summary', { text: t('load.pasteTitle') }),
    h('p', { class: 'hint', text: t('load.pasteHint') }),
    field(t('load.pasteLabel'), area),
    h('button', {
      type: 'button',
      class: 'secondary',
      text: t('load.pasteRead'),
      disabled: !!app.state.loading,
      on: {
        click: () => {
          app.files.paste(area.value).then((ok) => {
            if (ok) area.value = '';
          });
        },
      },
    }),
  );
}

/** A restored workspace knows which file it belongs to and asks for it again. */
function restoredPrompt(app) {
  const { state, t } = app;
  const f = state.restored;
  return h(
    'div',
    { class: 'notice', id: 'restored-file' },
    h(
      'p',
      {},
      h('strong', { text: t('load.askAgain', { name: f.name }) }),
      ' ',
      t('load.askAgainDetail', { size: formatBytes(f.size || 0, state.lang), columns: formatInt((f.columns || []).length, state.lang) }),
    ),
  );
}

/**
 * The new file lacks some of the model's columns: which are found and which missing, and the
 * three ways on (keep the model with those signals switched off, map each missing column to one of
 * the file's, or start from the suggestion), or leave the new file unread.
 */
function columnReport(app) {
  const { state, t } = app;
  const p = state.pending;
  const r = p.report;
  const lang = state.lang;
  const use = (u) => t(`columns.use.${u}`);
  const selects = {};
  const rows = r.missing.map((c) => {
    const select = h(
      'select',
      { attrs: { 'aria-label': t('columns.mapTo', { column: c.column }) } },
      h('option', { value: '', text: t('columns.leaveMissing') }),
      r.names.map((n) => h('option', { value: n, text: n, selected: n.trim().toLowerCase() === c.column.trim().toLowerCase() })),
    );
    selects[c.column] = select;
    return h('tr', {}, h('th', { scope: 'row', text: c.column }), h('td', { text: use(c.use) }), h('td', {}, select));
  });
  return h(
    'section',
    { class: 'column-report', attrs: { 'aria-labelledby': 'column-report-h' } },
    h('h3', { id: 'column-report-h', text: t('columns.title', { name: p.name }) }),
    h('p', {
      text: t('columns.summary', {
        name: p.name,
        rows: formatInt(p.info.rows, lang),
        found: formatInt(r.found.length, lang),
        missing: formatInt(r.missing.length, lang),
      }),
    }),
    r.found.length ? h('p', { class: 'hint', text: t('columns.found', { columns: r.found.map((c) => c.column).join(', ') }) }) : null,
    h(
      'div',
      { class: 'scroll' },
      h(
        'table',
        { attrs: { 'aria-label': t('columns.missingTable') } },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col', text: t('columns.missingCol') }),
            h('th', { scope: 'col', text: t('columns.usedAs') }),
            h('th', { scope: 'col', text: t('columns.mapCol') }),
          ),
        ),
        h('tbody', {}, rows),
      ),
    ),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'button', text: t('columns.keep'), on: { click: () => app.files.keepModel() } }),
      h('button', {
        type: 'button',
        class: 'secondary',
        text: t('columns.map'),
        on: { click: () => app.files.mapColumns(Object.fromEntries(Object.entries(selects).map(([k, el]) => [k, el.value]))) },
      }),
      h('button', { type: 'button', class: 'secondary', text: t('columns.suggest'), on: { click: () => app.files.useSuggestionForPending() } }),
      h('button', { type: 'button', class: 'secondary', text: t('columns.cancel'), on: { click: () => app.files.dropPending() } }),
    ),
  );
}

function dropZone(app) {
  const { t } = app;
  const input = h('input', {
    type: 'file',
    id: 'file-input',
    class: 'visually-hidden',
    accept:
      '.csv,.tsv,.txt,.xlsx,.ods,text/csv,text/tab-separated-values,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,application/vnd.oasis.opendocument.spreadsheet',
    on: {
      change: (e) => {
        const f = e.target.files[0];
        if (f) app.files.open(f);
        e.target.value = '';
      },
    },
  });
  const zone = h(
    'div',
    { class: 'drop' },
    h('p', { text: t('load.drop') }),
    h(
      'div',
      { class: 'actions' },
      h('label', { class: 'button', htmlFor: 'file-input' }, t('load.choose'), input),
      h('button', {
        type: 'button',
        class: 'secondary',
        text: t('load.sample'),
        disabled: !!app.state.loading,
        on: { click: () => app.files.openSample() },
      }),
    ),
  );
  zone.addEventListener('dragover', (e) => {
    e.preventDefault();
    zone.classList.add('over');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('over');
    const f = e.dataTransfer && e.dataTransfer.files[0];
    if (f) app.files.open(f);
  });
  return zone;
}

function progress(app) {
  const { t } = app;
  const bar = h('progress', { id: 'load-progress', max: 1, value: 0, attrs: { 'aria-label': t('load.progressLabel') } });
  const text = h('span', { id: 'load-progress-text' });
  const el = h(
    'div',
    { class: 'progress' },
    h('strong', { id: 'load-progress-title' }),
    bar,
    text,
    h('button', { type: 'button', class: 'secondary', text: t('load.cancel'), on: { click: () => app.files.cancelLoad() } }),
  );
  queueMicrotask(() => updateProgress(app));
  return el;
}

/** Updates the progress bar in place (called for every progress message). */
export function updateProgress(app) {
  const { state, t } = app;
  const l = state.loading;
  const bar = document.getElementById('load-progress');
  if (!l || !bar) return;
  const lang = state.lang;
  document.getElementById('load-progress-title').textContent = t(l.phase === 'unzipping' ? 'load.unzipping' : 'load.reading', { name: l.name });
  if (l.total > 0 && l.bytes > 0) {
    bar.max = l.total;
    bar.value = Math.min(l.bytes, l.total);
  } else {
    bar.removeAttribute('value'); // indeterminate
  }
  document.getElementById('load-progress-text').textContent = t('load.progress', {
    bytes: formatBytes(l.bytes || 0, lang),
    total: formatBytes(l.total || 0, lang),
    rows: formatInt(l.rows || 0, lang),
  });
}

function summary(app) {
  const { state, t } = app;
  const { file } = state;
  const info = file.info;
  const lang = state.lang;
  const facts = [t('load.summary', { name: file.name, rows: formatInt(info.rows, lang), columns: formatInt(info.columns.length, lang) })];
  if (info.sheet) facts.push(t('load.sheetOf', { sheet: info.sheet }));
  if (info.encoding) facts.push(t('load.encoding', { encoding: info.encoding }));
  if (info.delimiter) facts.push(t('load.delimiter', { delimiter: info.delimiter === '\t' ? t('load.tab') : `“${info.delimiter}”` }));
  if (info.skipped_blank_rows) facts.push(t('load.skipped', { count: formatInt(info.skipped_blank_rows, lang) }));

  const options = h('div', { class: 'row' });
  const worksheets = file.sheets.filter((s) => s.worksheet);
  if (worksheets.length > 1) {
    const select = h(
      'select',
      { on: { change: (e) => app.files.reread({ sheet: e.target.value }) } },
      worksheets.map((s) =>
        h('option', { value: s.name, text: s.visible ? s.name : t('load.sheetHidden', { name: s.name }), selected: s.name === info.sheet }),
      ),
    );
    options.append(field(t('load.sheet'), select));
  }
  const headerRow = h('input', { type: 'number', min: 0, step: 1, value: state.readOptions.header_row || 0 });
  const dates = h(
    'select',
    {},
    h('option', { value: 'day', text: t('load.dayFirst'), selected: !state.readOptions.month_first }),
    h('option', { value: 'month', text: t('load.monthFirst'), selected: !!state.readOptions.month_first }),
  );
  options.append(
    field(t('load.headerRow'), headerRow),
    field(t('load.dateOrder'), dates),
    h('button', {
      type: 'button',
      class: 'secondary',
      text: t('load.reread'),
      on: {
        click: () => app.files.reread({ header_row: Math.max(0, Math.floor(Number(headerRow.value) || 0)), month_first: dates.value === 'month' }),
      },
    }),
  );

  const problems = [];
  if (info.ragged_count) {
    const first = info.ragged[0] || { row: 0, cells: 0 };
    problems.push(
      h('li', {
        text: t('load.ragged', { count: formatInt(info.ragged_count, lang), row: formatInt(first.row, lang), cells: formatInt(first.cells, lang) }),
      }),
    );
  }
  // A file thousands of columns wide lists its first ones (every read problem is still listed).
  const shownColumns = Math.min(info.columns.length, COLUMNS_SHOWN);
  const rows = info.columns.map((c, i) => {
    if (c.unreadable) {
      const examples = c.examples.map((e) => t('load.example', { row: formatInt(e.row, lang), text: e.text })).join('; ');
      problems.push(
        h(
          'li',
          {},
          h('strong', { text: c.name }),
          ': ',
          `${formatInt(c.unreadable, lang)} (${formatPercent(c.unreadable / Math.max(1, info.rows), lang)}) `,
          examples,
        ),
      );
    }
    if (i >= shownColumns) return null;
    const range = c.type === 'number' && Number.isFinite(c.min) ? `${formatNumber(c.min, lang)} – ${formatNumber(c.max, lang)}` : '';
    return h(
      'tr',
      {},
      h('th', { scope: 'row', text: c.name }),
      h('td', { text: t(`type.${c.type}`) }),
      h('td', { class: 'num', text: formatInt(c.empty, lang) }),
      h('td', { class: 'num', text: formatInt(c.unreadable, lang) }),
      h('td', { class: 'num', text: range }),
    );
  });
  const captionId = nextId('cols');
  const keepId = nextId('keep');
  const keep = h(
    'div',
    { class: 'keep' },
    h(
      'label',
      { class: 'check', htmlFor: keepId },
      h('input', {
        type: 'checkbox',
        id: keepId,
        checked: !!app.store.workspace.keep_file,
        on: { change: (e) => app.files.setKeepFile(e.target.checked) },
      }),
      ' ' + t('keep.label'),
    ),
    h('span', {
      class: 'hint',
      text: app.store.workspace.keep_file && state.keptSize ? t('keep.kept', { size: formatBytes(state.keptSize, lang) }) : t('keep.hint'),
    }),
  );
  const off =
    state.switchedOff && state.switchedOff.length
      ? h('p', {
          class: 'warn',
          id: 'switched-off',
          text: t('columns.switchedOff', { name: file.name, signals: state.switchedOff.map((s) => s.column).join(', ') }),
        })
      : null;
  return h(
    'div',
    { class: 'file-summary' },
    h('p', { id: 'file-facts' }, h('strong', { text: facts[0] }), facts.length > 1 ? ' · ' + facts.slice(1).join(' · ') : ''),
    off,
    keep,
    options,
    h('h3', { id: captionId, text: t('load.columns') }),
    h(
      'div',
      { class: 'scroll' },
      h(
        'table',
        { attrs: { 'aria-labelledby': captionId } },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['load.col.name', 'load.col.type', 'load.col.empty', 'load.col.unreadable', 'load.col.range'].map((k, i) =>
              h('th', { scope: 'col', class: i >= 2 ? 'num' : '', text: t(k) }),
            ),
          ),
        ),
        h('tbody', {}, rows),
      ),
    ),
    shownColumns < info.columns.length
      ? h('p', { class: 'note', text: t('load.columnsShown', { shown: formatInt(shownColumns, lang), total: formatInt(info.columns.length, lang) }) })
      : null,
    h('h3', { text: t('load.problems') }),
    problems.length ? h('ul', { class: 'problems' }, problems) : h('p', { class: 'note', text: t('load.noProblems') }),
  );
}
