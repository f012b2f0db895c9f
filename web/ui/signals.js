// SPDX-License-Identifier: MIT
// Step 2, Signals: model settings, categories, and a rule editor for every signal. Edits change
// app.state.model in place and call app.modelChanged(); only structural edits re-render.
import { h, fill, field, nextId, input, crossButton } from './dom.js';
import { formatInt, formatNumber, isoDate, formatDate } from '../lib/format.js';
import { lowerIsBetter, startingSteps } from '../lib/defaults.js';
import { columnField, PICKER_LIST_FROM } from './columns.js';

export const RULE_TYPES = ['linear', 'log', 'steps', 'map', 'boolean', 'recency', 'percentile', 'target'];
const DIRECTIONAL = new Set(['linear', 'log', 'recency', 'percentile', 'target']);

export function render(app) {
  const { state, t } = app;
  const body = document.getElementById('signals-body');
  if (!state.model) {
    fill(body, h('p', { class: 'note', text: t('signals.noFile') }));
    return;
  }
  fill(
    body,
    h('p', { class: 'note', text: t('signals.intro') }),
    settings(app),
    h(
      'div',
      { id: 'categories' },
      state.model.categories.map((c, ci) => category(app, c, ci)),
    ),
    h(
      'div',
      { class: 'row' },
      h('button', { type: 'button', class: 'secondary', text: t('signals.addCategory'), on: { click: () => addCategory(app) } }),
      state.file
        ? h('button', { type: 'button', class: 'secondary', text: t('signals.useSuggestion'), on: { click: () => app.files.useSuggestion() } })
        : null,
    ),
  );
  updateCounts(app);
}

/** Updates the "N accounts have no usable value" lines after scoring, without re-rendering. */
export function updateCounts(app) {
  const { state, t } = app;
  const missing = new Map(((state.results && state.results.missing) || []).map((m) => [m.column, m.count]));
  const absent = new Set(state.results ? state.results.absent_columns : []);
  for (const el of document.querySelectorAll('#signals-body [data-signal-column]')) {
    const col = el.dataset.signalColumn;
    if (state.file && (absent.has(col) || app.columnIndex(col) < 0)) {
      el.className = 'absent';
      el.textContent = t('signals.absent', { column: col });
    } else if (missing.get(col)) {
      el.className = 'hint';
      el.textContent = t('signals.missingCount', { count: formatInt(missing.get(col), state.lang) });
    } else {
      el.textContent = '';
    }
  }
  const asOf = document.getElementById('as-of-used');
  if (asOf) asOf.textContent = state.results ? t('signals.asOfUsed', { date: formatDate(state.results.as_of, state.lang) }) : '';
}

function columnNames(app) {
  return app.state.file ? app.state.file.info.columns.map((c) => c.name) : [];
}

function columnSelect(app, value, { allowNone = false, label } = {}) {
  const names = columnNames(app);
  if (names.length > PICKER_LIST_FROM)
    return columnField(app, names, value, { allowNone, label, placeholder: allowNone ? app.t('signals.none') : '' });
  const options = [];
  if (allowNone) options.push(h('option', { value: '', text: app.t('signals.none'), selected: !value }));
  for (const n of names) options.push(h('option', { value: n, text: n, selected: n.trim() === String(value || '').trim() }));
  if (value && !names.some((n) => n.trim() === String(value).trim())) options.push(h('option', { value, text: value, selected: true }));
  return h('select', { attrs: label ? { 'aria-label': label } : {} }, options);
}

function settings(app) {
  const { state, t } = app;
  const m = state.model;
  const name = h('input', {
    type: 'text',
    value: m.name || '',
    on: {
      change: (e) => {
        m.name = e.target.value;
        app.modelChanged({ views: ['share'] });
      },
    },
  });
  const id = columnSelect(app, m.id_column, { allowNone: true });
  id.addEventListener('change', (e) => {
    setOrDelete(m, 'id_column', e.target.value);
    app.modelChanged();
  });
  const nm = columnSelect(app, m.name_column, { allowNone: true });
  nm.addEventListener('change', (e) => {
    setOrDelete(m, 'name_column', e.target.value);
    app.modelChanged();
  });
  const missing = h(
    'select',
    {
      on: {
        change: (e) => {
          m.missing = e.target.value;
          app.modelChanged();
        },
      },
    },
    ['renormalize', 'zero', 'neutral'].map((p) =>
      h('option', { value: p, text: t(`signals.missing.${p}`), selected: (m.missing || 'renormalize') === p }),
    ),
  );
  const asOf = h('input', {
    type: 'date',
    value: m.as_of || '',
    on: {
      change: (e) => {
        setOrDelete(m, 'as_of', e.target.value);
        app.modelChanged();
      },
    },
  });
  return h(
    'div',
    { class: 'row settings' },
    field(t('signals.modelName'), name),
    field(t('signals.idColumn'), id),
    field(t('signals.nameColumn'), nm),
    field(t('signals.missingPolicy'), missing),
    field(t('signals.asOf'), asOf, ''),
    h('p', { id: 'as-of-used', class: 'hint' }),
  );
}

function setOrDelete(obj, key, value) {
  if (value === '' || value === undefined || value === null || Number.isNaN(value)) delete obj[key];
  else obj[key] = value;
}

function category(app, c, ci) {
  const { state, t } = app;
  const label = h('input', {
    type: 'text',
    value: c.label || '',
    attrs: { 'aria-label': t('signals.categoryLabel') },
    on: {
      change: (e) => {
        c.label = e.target.value;
        app.modelChanged({ views: ['weights'] });
      },
    },
  });
  const remove = crossButton(t('signals.removeCategory', { label: c.label }), () => {
    state.model.categories.splice(ci, 1);
    app.modelChanged({ structure: true });
  });
  const add = columnSelect(app, '', { label: t('signals.addSignalTo', { label: c.label }) });
  const addButton = h('button', {
    type: 'button',
    class: 'secondary',
    text: t('signals.addSignal'),
    disabled: !state.file,
    on: { click: () => addSignal(app, c, add.value) },
  });
  return h(
    'div',
    { class: 'category', attrs: { 'data-category': c.id } },
    h('div', { class: 'row' }, h('h3', {}, label), remove),
    (c.signals || []).length ? signalList(app, c, ci) : h('p', { class: 'note', text: t('signals.noSignals') }),
    state.file ? h('div', { class: 'row' }, add, addButton) : null,
  );
}

/** Signals listed per category before "Show all"; categories shown in full, by id. */
const SIGNALS_SHOWN = 50;
const showAll = new Set();

/** A category's signals: the first SIGNALS_SHOWN, and the rest when asked (a suggestion for a file
 * thousands of columns wide has thousands). */
function signalList(app, c, ci) {
  const list = c.signals || [];
  const n = showAll.has(c.id) ? list.length : Math.min(list.length, SIGNALS_SHOWN);
  const out = list.slice(0, n).map((s, si) => signal(app, c, ci, s, si));
  if (n < list.length) {
    out.push(
      h('button', {
        type: 'button',
        class: 'secondary small',
        text: app.t('signals.showAll', { count: formatInt(list.length, app.state.lang) }),
        on: {
          click: () => {
            showAll.add(c.id);
            render(app);
          },
        },
      }),
    );
  }
  return out;
}

/** Signal editors the user has open (by category and position), kept open across re-renders. */
const openSignals = new Set();

/**
 * One signal: its summary line, and an editor built only when it is opened, so a file of thousands
 * of columns does not make thousands of column lists (each as long as the file is wide).
 */
function signal(app, c, ci, s, si) {
  const { t } = app;
  const key = `${ci}/${si}`;
  const summaryText = h('span', { text: summaryLine(app, s.rule ? s : { ...s, rule: { type: 'linear' } }) });
  const details = h('details', { class: 'signal' }, h('summary', {}, summaryText, ' ', h('span', { attrs: { 'data-signal-column': s.column } })));
  const build = () => {
    if (details.dataset.built) return;
    details.dataset.built = '1';
    s.rule = s.rule || { type: 'linear' };
    const params = h('div', { class: 'rule' });
    const col = columnSelect(app, s.column, { label: t('signals.column') });
    col.addEventListener('change', (e) => {
      s.column = e.target.value;
      summaryText.textContent = summaryLine(app, s);
      ruleParams(app, s, params);
      app.modelChanged();
    });
    const weight = h('input', {
      type: 'number',
      min: 0,
      step: 'any',
      value: s.weight ?? 1,
      on: {
        change: (e) => {
          const w = Number(e.target.value);
          if (Number.isFinite(w) && w >= 0) {
            s.weight = w;
            app.modelChanged({ views: ['weights'] });
          }
        },
      },
    });
    const type = h(
      'select',
      {
        on: {
          change: (e) => {
            s.rule = defaultRule(app, e.target.value, s.column, s.rule);
            summaryText.textContent = summaryLine(app, s);
            ruleParams(app, s, params);
            app.modelChanged();
          },
        },
      },
      RULE_TYPES.map((r) => h('option', { value: r, text: t(`rule.${r}`), selected: s.rule.type === r })),
    );
    const remove = crossButton(t('signals.remove', { column: s.column }), () => {
      openSignals.clear();
      c.signals.splice(si, 1);
      app.modelChanged({ structure: true });
    });
    ruleParams(app, s, params);
    details.append(
      h('div', { class: 'row' }, field(t('signals.column'), col), field(t('signals.weight'), weight), field(t('signals.ruleType'), type), remove),
      params,
    );
  };
  details.addEventListener('toggle', () => {
    if (details.open) {
      build();
      openSignals.add(key);
    } else {
      openSignals.delete(key);
    }
  });
  if (openSignals.has(key)) {
    build();
    details.open = true;
  }
  return details;
}

export function summaryLine(app, s) {
  return `${s.column} · ${app.t(`rule.${s.rule.type}`)} · ${app.t('signals.weight').toLowerCase()} ${formatNumber(s.weight ?? 1, app.state.lang)}`;
}

function columnInfo(app, name) {
  const i = app.columnIndex(name);
  return i >= 0 ? { index: i, ...app.state.file.info.columns[i] } : null;
}

function numberInput(label, value, onValue, opts = {}) {
  const input = h('input', {
    type: 'number',
    step: 'any',
    value: value ?? '',
    placeholder: opts.placeholder || '',
    on: {
      change: (e) => {
        const v = e.target.value === '' ? undefined : Number(e.target.value);
        if (v === undefined || Number.isFinite(v)) onValue(v);
      },
    },
  });
  return field(label, input);
}

/** Builds the parameter fields of a signal's rule into `el`. */
export function ruleParams(app, s, el) {
  const { state, t } = app;
  const r = s.rule;
  const info = columnInfo(app, s.column);
  const changed = () => app.modelChanged();
  const parts = [];
  if (DIRECTIONAL.has(r.type)) {
    const hint = h('span', { class: 'hint', text: t(r.direction === 'lower_is_better' ? 'signals.direction.lower' : 'signals.direction.higher') });
    const box = h('input', {
      type: 'checkbox',
      checked: r.direction === 'lower_is_better',
      id: nextId('dir'),
      on: {
        change: (e) => {
          setOrDelete(r, 'direction', e.target.checked ? 'lower_is_better' : '');
          hint.textContent = t(e.target.checked ? 'signals.direction.lower' : 'signals.direction.higher');
          changed();
        },
      },
    });
    parts.push(h('div', { class: 'field' }, h('label', { htmlFor: box.id }, box, ' ', t('signals.lowerIsBetter')), hint));
  }
  if (r.type === 'linear' || r.type === 'log') {
    parts.push(
      numberInput(
        t('signals.min'),
        r.min,
        (v) => {
          setOrDelete(r, 'min', v);
          changed();
        },
        { placeholder: info && Number.isFinite(info.min) ? String(info.min) : '' },
      ),
    );
    parts.push(
      numberInput(
        t('signals.max'),
        r.max,
        (v) => {
          setOrDelete(r, 'max', v);
          changed();
        },
        { placeholder: info && Number.isFinite(info.max) ? String(info.max) : '' },
      ),
    );
    parts.push(
      h('p', {
        class: 'hint',
        text:
          info && Number.isFinite(info.min)
            ? t('signals.range', { min: formatNumber(info.min, state.lang), max: formatNumber(info.max, state.lang) })
            : t('signals.noRange'),
      }),
    );
  } else if (r.type === 'steps') {
    r.steps = r.steps || [{ score: 100 }];
    const rows = r.steps.map((st, i) =>
      h(
        'tr',
        {},
        h(
          'td',
          {},
          'max' in st || i < r.steps.length - 1
            ? input({ type: 'number', step: 'any', value: st.max ?? '', attrs: { 'aria-label': `${t('signals.stepMax')} ${i + 1}` } }, (v) => {
                setOrDelete(st, 'max', v === '' ? undefined : Number(v));
                changed();
              })
            : h('span', { text: t('signals.stepRest') }),
        ),
        h(
          'td',
          {},
          input(
            { type: 'number', step: 'any', min: 0, max: 100, value: st.score ?? 0, attrs: { 'aria-label': `${t('signals.stepScore')} ${i + 1}` } },
            (v) => {
              st.score = Number(v) || 0;
              changed();
            },
          ),
        ),
        h(
          'td',
          {},
          crossButton(`${t('signals.removeStep')} ${i + 1}`, () => {
            r.steps.splice(i, 1);
            ruleParams(app, s, el);
            changed();
          }),
        ),
      ),
    );
    parts.push(
      h(
        'table',
        {},
        h('thead', {}, h('tr', {}, h('th', { text: t('signals.stepMax') }), h('th', { text: t('signals.stepScore') }), h('th'))),
        h('tbody', {}, rows),
      ),
    );
    parts.push(
      h('button', {
        type: 'button',
        class: 'secondary small',
        text: t('signals.addStep'),
        on: {
          click: () => {
            const lastMax = r.steps
              .filter((x) => 'max' in x)
              .map((x) => x.max)
              .pop();
            r.steps.splice(Math.max(0, r.steps.length - 1), 0, { max: (lastMax ?? 0) + 1, score: 50 });
            ruleParams(app, s, el);
            changed();
          },
        },
      }),
    );
    if (info && Number.isFinite(info.min))
      parts.push(
        h('p', { class: 'hint', text: t('signals.range', { min: formatNumber(info.min, state.lang), max: formatNumber(info.max, state.lang) }) }),
      );
  } else if (r.type === 'map') {
    r.map = r.map || {};
    const rows = Object.entries(r.map).map(([k, v]) =>
      h(
        'tr',
        {},
        h('th', { scope: 'row', text: k }),
        h(
          'td',
          {},
          input({ type: 'number', step: 'any', min: 0, max: 100, value: v, attrs: { 'aria-label': `${t('signals.mapScore')}: ${k}` } }, (x) => {
            setKey(r.map, k, Number(x) || 0);
            changed();
          }),
        ),
        h(
          'td',
          {},
          crossButton(`${t('signals.removeValue')}: ${k}`, () => {
            delete r.map[k];
            ruleParams(app, s, el);
            changed();
          }),
        ),
      ),
    );
    parts.push(
      h(
        'table',
        {},
        h('thead', {}, h('tr', {}, h('th', { text: t('signals.mapValue') }), h('th', { text: t('signals.mapScore') }), h('th'))),
        h('tbody', {}, rows),
      ),
    );
    const newValue = h('input', { type: 'text', attrs: { 'aria-label': t('signals.mapValue') } });
    parts.push(
      h(
        'div',
        { class: 'row' },
        newValue,
        h('button', {
          type: 'button',
          class: 'secondary small',
          text: t('signals.addValue'),
          on: {
            click: () => {
              const v = newValue.value.trim();
              if (v && !Object.hasOwn(r.map, v)) {
                setKey(r.map, v, 50);
                ruleParams(app, s, el);
                changed();
              }
            },
          },
        }),
      ),
    );
    if (info)
      parts.push(
        h('button', {
          type: 'button',
          class: 'secondary small',
          text: t('signals.mapFill'),
          on: {
            click: async () => {
              await fillMap(app, r, info.index);
              ruleParams(app, s, el);
              changed();
            },
          },
        }),
      );
    parts.push(
      numberInput(t('signals.mapDefault'), r.default, (v) => {
        setOrDelete(r, 'default', v);
        changed();
      }),
    );
  } else if (r.type === 'boolean') {
    parts.push(
      numberInput(t('signals.trueScore'), r.true_score ?? 100, (v) => {
        setOrDelete(r, 'true_score', v);
        changed();
      }),
    );
    parts.push(
      numberInput(t('signals.falseScore'), r.false_score ?? 0, (v) => {
        setOrDelete(r, 'false_score', v);
        changed();
      }),
    );
  } else if (r.type === 'recency') {
    parts.push(
      numberInput(t('signals.fullDays'), r.full_days ?? 0, (v) => {
        r.full_days = v ?? 0;
        changed();
      }),
    );
    parts.push(
      numberInput(t('signals.zeroDays'), r.zero_days ?? 0, (v) => {
        r.zero_days = v ?? 0;
        changed();
      }),
    );
  } else if (r.type === 'percentile') {
    parts.push(h('p', { class: 'hint', text: t('signals.percentileNote') }));
  } else if (r.type === 'target') {
    parts.push(
      numberInput(t('signals.target'), r.target, (v) => {
        setOrDelete(r, 'target', v);
        changed();
      }),
    );
    const tc = columnSelect(app, r.target_column, { allowNone: true });
    tc.addEventListener('change', (e) => {
      setOrDelete(r, 'target_column', e.target.value);
      changed();
    });
    parts.push(field(t('signals.targetColumn'), tc));
  }
  fill(el, parts);
}

/**
 * Sets a key of a map rule as data: `__proto__`, `constructor` and `valueOf` are cell values like
 * any other (an assignment would set the object's prototype for the first, and `in` sees the
 * inherited others as present).
 */
function setKey(map, key, value) {
  Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
}

async function fillMap(app, r, index) {
  const d = await app.distinct(index, 50);
  if (!d.ok) return;
  const have = new Set(Object.keys(r.map).map((k) => k.trim().toLowerCase()));
  for (const { value } of d.values) if (!have.has(value.toLowerCase())) setKey(r.map, value, 50);
}

/** A starting rule of `type` for a column, keeping what carries over from the previous rule. */
function defaultRule(app, type, column, previous = {}) {
  const r = { type };
  const info = columnInfo(app, column);
  // A new rule points the sensible way for its column (more tickets is worse), unless the rule it
  // replaces already said which way.
  const lower = previous.type ? previous.direction === 'lower_is_better' : lowerIsBetter(column);
  if (lower && DIRECTIONAL.has(type) && type !== 'recency') r.direction = 'lower_is_better';
  if (type === 'steps') r.steps = startingSteps(info ? info.min : NaN, info ? info.max : NaN, lower);
  if (type === 'map') r.map = {};
  if (type === 'recency') Object.assign(r, { full_days: 7, zero_days: 90 });
  if (type === 'target') {
    r.target = info && Number.isFinite(info.max) && info.max > 0 ? info.max : 1;
  }
  return r;
}

function ruleTypeFor(info) {
  return { number: 'linear', date: 'recency', boolean: 'boolean', text: 'map' }[info ? info.type : 'number'] || 'linear';
}

async function addSignal(app, c, column) {
  if (!column) return;
  const info = columnInfo(app, column);
  const rule = defaultRule(app, ruleTypeFor(info), column);
  if (rule.type === 'map' && info) await fillMap(app, rule, info.index);
  c.signals = c.signals || [];
  c.signals.push({ column, weight: 1, rule });
  app.modelChanged({ structure: true });
}

function addCategory(app) {
  const m = app.state.model;
  let n = m.categories.length + 1;
  while (m.categories.some((c) => c.id === `category_${n}`)) n++;
  m.categories.push({ id: `category_${n}`, label: `${app.t('signals.newCategory')} ${n}`, weight: 10, signals: [] });
  app.modelChanged({ structure: true });
}

export { isoDate };
