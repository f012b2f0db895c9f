// SPDX-License-Identifier: MIT
// Scoring: the one caller of the engine's model and weight operations. Every store change that
// touches the model queues work here; one operation runs at a time, and what piled up meanwhile is
// sent as one: a whole model when anything but weights changed, else only the last value of each
// slider (the engine's fast path). `state.scoredVersion` is the store version the results are for.
import { localDays } from '../lib/format.js';
import { weightChanges } from '../lib/jsondiff.js';
import { failureText } from '../lib/messages.js';

export function createScoring(app) {
  const { state, store } = app;
  let full = false;
  const weights = new Map();
  let pumping = false;
  // True once the engine holds the store's model as of the last successful full apply: only then
  // can a slider move be sent alone (after a refused model the engine still has the previous one).
  let synced = false;

  /** The model changed in the store (an edit, an undo, another scenario): queue the work. */
  function modelChanged(change) {
    const fast =
      change && change.ops && !change.scenario && synced && !state.modelError && state.results ? weightChanges(change.ops, store.model) : null;
    if (fast && !full) {
      for (const ch of fast) weights.set(`${ch.group ?? ''}/${ch.category}/${ch.signal ?? ''}`, ch);
      app.evidence.noteWeightInput();
    } else {
      full = true;
      weights.clear();
    }
    pump();
  }

  /** Applies the whole model again (a new file, a restarted engine). */
  function rescore() {
    synced = false;
    full = true;
    weights.clear();
    pump();
  }

  function busy() {
    return pumping || full || weights.size > 0;
  }

  async function pump() {
    if (pumping || !state.file || !store.model) {
      app.markVersions();
      return;
    }
    pumping = true;
    app.setBusy(true);
    let sliders = false;
    try {
      while (full || weights.size) {
        const version = store.version;
        const file = state.file; // an answer for a file the page has since left is dropped
        const wasFull = full;
        sliders = !wasFull;
        const order = app.views.results.wantedOrder();
        // The band counts and histogram come ahead of each answer and are painted at once; the
        // scores for the table follow in it. Counts a newer whole model will replace are not shown.
        const paint = (totals) => {
          app.views.summary.render(app, totals);
          state.totalsVersion = version;
          app.markVersions();
        };
        let r;
        if (full) {
          full = false;
          weights.clear();
          synced = false;
          // A file just read shows its counts before its scores and the table's columns arrive.
          r = await app.engine.call('model', { json: JSON.stringify(store.model), today: localDays(), order }, [], {
            onTotals: (totals) => {
              if (full || state.file !== file) return;
              state.earlyTotals = totals;
              paint(totals);
            },
          });
        } else {
          const changes = [...weights.values()];
          weights.clear();
          r = await app.engine.call('weights', { changes, order }, [], {
            onTotals: (totals) => {
              if (!full && state.results) paint(totals);
            },
          });
        }
        if (state.file !== file) break;
        if (r.ok) {
          if (wasFull) synced = true;
          state.modelError = null;
          accept(r);
          await loadIdentityColumns();
        } else if (r.kind === 'cancelled' || r.kind === 'crash') {
          synced = false;
          break;
        } else {
          synced = false;
          state.modelError = r;
          app.showError(app.t('model.invalid', { message: failureText(r, state.lang) }), 'model');
        }
        state.scoredVersion = version;
        if (r.ok && !full && !weights.size) app.clearError('model');
        app.renderResults();
        app.markVersions();
      }
    } finally {
      pumping = false;
      // The sliders count as still from when their last move was painted, not from the key press:
      // else a move slower than the quiet time lets a validation start before the next move, which
      // then waits for it, and so on (measured: 318 ms a move instead of 31 ms at 1M accounts).
      if (sliders) app.evidence.noteWeightInput();
      app.setBusy(false);
      app.markVersions();
      app.afterScoring();
    }
  }

  function accept(r) {
    const prev = state.results;
    state.earlyTotals = null; // the results carry the same totals from here on
    state.results = {
      rows: r.rows,
      as_of: r.as_of,
      scores: r.scores,
      bands: r.bands,
      category_scores: r.category_scores || (prev && prev.category_scores) || [],
      band_counts: r.band_counts,
      unscored: r.unscored,
      histogram: r.histogram,
      order: r.order,
      missing: r.missing,
      absent_columns: r.absent_columns,
      value: r.value, // with a value column: per band, at risk, total, missing
      segments: r.segments, // with segments: each one's counts and values
      segment_of: r.segment_of, // with segments: each row's group index (-1 the other segment)
    };
    if (state.selectedRow !== null) app.refreshExplanation();
  }

  /** The id and name columns' texts, for the table (read once per file and column). */
  async function loadIdentityColumns() {
    for (const key of ['ids', 'names']) {
      const column = key === 'ids' ? store.model.id_column : store.model.name_column;
      const index = app.columnIndex(column);
      if (index < 0) {
        state[key] = null;
        continue;
      }
      if (state[key] && state[key].index === index && state[key].file === state.file) continue;
      const r = await app.engine.call('columnText', { index });
      state[key] = r.ok ? { bytes: r.bytes, ends: r.ends, index, file: state.file } : null;
    }
  }

  /** The rows in the order of a score (the table's sort), asked for after a click. */
  function order(want) {
    return app.engine.call('order', want);
  }

  return {
    modelChanged,
    rescore,
    busy,
    order,
    get pumping() {
      return pumping;
    },
  };
}
