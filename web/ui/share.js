// SPDX-License-Identifier: MIT
// Share and export: the model in a link (never the data), model JSON download and upload, and the
// scored CSV (the engine's export, byte-identical to the command line's).
import { h, fill, field } from './dom.js';

export function render(app) {
  const { state, t } = app;
  const body = document.getElementById('share-body');
  const link = h('input', { type: 'text', id: 'share-link', readOnly: true, value: state.shareLink || '', on: { focus: (e) => e.target.select() } });
  const modelInput = h('input', {
    type: 'file',
    id: 'model-input',
    class: 'visually-hidden',
    accept: '.json,application/json',
    on: {
      change: (e) => {
        const f = e.target.files[0];
        if (f) app.openModelFile(f);
        e.target.value = '';
      },
    },
  });
  const confirm = state.shareConfirm;
  fill(
    body,
    h(
      'div',
      { class: 'share-tools' },
      h('button', { type: 'button', text: t('share.copy'), disabled: !state.model, on: { click: () => app.copyLink() } }),
      h('div', { class: 'field' }, h('label', { htmlFor: 'share-link', text: t('share.link') }), link),
    ),
    confirm
      ? h(
          'div',
          { class: 'notice', attrs: { role: 'region', 'aria-label': t('share.valuesTitle') } },
          h('p', { text: t('share.valuesIntro', { count: confirm.values.length }) }),
          h(
            'ul',
            { class: 'plain' },
            confirm.values.slice(0, 30).map((v) => h('li', {}, h('span', { class: 'hint', text: `${v.column}: ` }), v.value)),
          ),
          confirm.values.length > 30 ? h('p', { class: 'note', text: t('scenarios.more', { count: confirm.values.length - 30 }) }) : null,
          h(
            'div',
            { class: 'actions' },
            h('button', { type: 'button', text: t('share.copyWithout'), on: { click: () => app.copyLink({ values: 'without' }) } }),
            h('button', { type: 'button', class: 'secondary', text: t('share.copyWith'), on: { click: () => app.copyLink({ values: 'with' }) } }),
          ),
        )
      : null,
    h(
      'div',
      { class: 'share-tools' },
      h('button', {
        type: 'button',
        class: 'secondary',
        text: t('share.downloadModel'),
        disabled: !state.model,
        on: { click: () => app.downloadModel() },
      }),
      h('label', { class: 'button secondary', htmlFor: 'model-input' }, t('share.openModel'), modelInput),
      field(
        t('share.csvFor'),
        h(
          'select',
          { id: 'csv-convention' },
          [
            ['standard', 'share.csv.standard'],
            ['excel', 'share.csv.excel'],
            ['excel-es', 'share.csv.excelEs'],
          ].map(([v, k]) => h('option', { value: v, text: t(k), selected: v === defaultConvention(state.lang) })),
        ),
      ),
      h('button', {
        type: 'button',
        text: t('results.export'),
        disabled: !state.results,
        on: { click: () => app.exportCsv(document.getElementById('csv-convention').value) },
      }),
    ),
    sqlTools(app),
  );
}

/** "Export as SQL": the same model as one query for DuckDB, PostgreSQL or Spark (README, "SQL"). */
function sqlTools(app) {
  const { state, t } = app;
  const dialect = h(
    'select',
    { id: 'sql-dialect' },
    [
      ['duckdb', 'DuckDB'],
      ['postgres', 'PostgreSQL'],
      ['spark', 'Spark SQL'],
    ].map(([v, label]) => h('option', { value: v, text: label })),
  );
  const table = h('input', { type: 'text', id: 'sql-table', value: 'accounts', attrs: { spellcheck: 'false' } });
  return h(
    'div',
    { class: 'share-tools sql' },
    field(t('share.sqlDialect'), dialect),
    field(t('share.sqlTable'), table),
    h('button', {
      type: 'button',
      class: 'secondary',
      text: t('share.exportSql'),
      disabled: !state.model,
      on: { click: () => app.exportSql(dialect.value, table.value.trim()) },
    }),
    h('p', { class: 'hint', text: t('share.sqlHint') }),
  );
}

/** The CSV a spreadsheet in the interface language opens as columns: Excel in Spanish or
 * Portuguese splits on ';' and reads decimal commas. */
export function defaultConvention(lang) {
  return lang === 'es' || lang === 'pt' ? 'excel-es' : 'standard';
}
