// SPDX-License-Identifier: MIT
// A picker of the loaded file's columns for a file of very many: a text field over one shared
// <datalist> of them instead of a <select>. With 3,000 columns, the <select>s of the outcome, the
// value column and the signals (3,000 <option>s each, made anew at every re-render and restyled at
// every style pass) held the page's main thread for 200-300 ms at a time.
import { h } from './dom.js';

/** Past this many columns a picker is a text field over a shared list. */
export const PICKER_LIST_FROM = 300;

/**
 * The id of the page's one <datalist> of these columns of the loaded file (`kind`: 'all' or a
 * column type, 'number' or 'text'; a kind that is every column shares the list of all). It is filled when a field over it is
 * first focused (fillList): until then the names are only kept.
 */
function sharedList(app, names, kind) {
  const file = app.state.file;
  const id = kind === 'all' || names.length === file.info.columns.length ? 'file-columns' : `file-columns-${kind}`;
  let list = document.getElementById(id);
  if (!list) {
    list = h('datalist', { id });
    document.body.append(list);
  }
  if (list.file !== file || list.names?.length !== names.length) {
    list.replaceChildren();
    list.file = file;
    list.names = names;
    list.filled = false;
  }
  return id;
}

/** Fills list `id` with its names, once. */
function fillList(id) {
  const list = document.getElementById(id);
  if (!list || list.filled) return;
  list.filled = true;
  // Built apart and added at once: each option added to a list in use updates every field over it.
  const options = document.createDocumentFragment();
  for (const n of list.names) {
    const o = document.createElement('option');
    o.value = n;
    options.append(o);
  }
  list.append(options);
}

/**
 * A text field over the shared list of `names` (columns of `kind`), showing `value`. Its `change`
 * reaches the caller's listeners only for a column of that kind (found as app.columnIndex finds it,
 * and spelled as the file does) or, with `allowNone`, nothing; anything else puts `value` back.
 */
export function columnField(app, names, value, { allowNone = false, label, placeholder, id, kind = 'all' } = {}) {
  const list = sharedList(app, names, kind);
  const field = h('input', {
    type: 'text',
    id,
    value: value || '',
    attrs: { list, 'aria-label': label || null, placeholder: placeholder || null, autocomplete: 'off' },
  });
  field.addEventListener('focus', () => fillList(list));
  field.addEventListener(
    'change',
    (e) => {
      const v = field.value.trim();
      const column = v === '' ? null : app.state.file.info.columns[app.columnIndex(v)];
      if (v === '' && allowNone) {
        field.value = '';
        return;
      }
      if (column && (kind === 'all' || column.type === kind)) {
        field.value = column.name;
        return;
      }
      e.stopImmediatePropagation();
      field.value = value || '';
    },
    { capture: true },
  );
  return field;
}

/**
 * A picker of `names` (the file's columns of `kind`) showing `value`, its first choice none, named
 * `none`: a <select>, or past PICKER_LIST_FROM columns a columnField. `onChange` has its change events.
 */
export function columnPicker(app, names, value, { none, id, kind = 'all', onChange } = {}) {
  if (names.length > PICKER_LIST_FROM) {
    const picker = columnField(app, names, value, { allowNone: true, id, kind, placeholder: none });
    if (onChange) picker.addEventListener('change', onChange);
    return picker;
  }
  return h(
    'select',
    { id, on: onChange ? { change: onChange } : {} },
    h('option', { value: '', text: none, selected: !value }),
    names.map((n) => h('option', { value: n, text: n, selected: n === value })),
  );
}
