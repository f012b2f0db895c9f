// SPDX-License-Identifier: MIT
// Execute: the one caller of the engine's call list. The list of the band (and segment) the user
// picked is made again once scoring is idle after any change, and exported on request.
export function createExecute(app) {
  const { state, store } = app;
  let running = false;
  let again = false;

  function key() {
    const c = state.calls;
    return `${store.version}|${state.scoredVersion}|${c.band}|${c.segment}|${state.fileSerial || 0}`;
  }

  function schedule() {
    if (!state.file || !state.results || app.scoring.busy() || state.scoredVersion !== store.version) return;
    if (state.calls.key === key()) return;
    if (running) {
      again = true;
      return;
    }
    run();
  }

  async function run() {
    running = true;
    const k = key();
    const r = await app.engine.call('callList', { options: { band: state.calls.band, segment: state.calls.segment, limit: 100 } });
    running = false;
    if (r.kind === 'cancelled' || r.kind === 'crash') return;
    Object.assign(state.calls, { key: k, list: r.ok ? r : null, error: r.ok ? null : r });
    app.views.execute.render(app);
    document.body.dataset.calls = k;
    if (again) {
      again = false;
      schedule();
    }
  }

  function pick(band, segment) {
    Object.assign(state.calls, { band, segment, key: '' });
    schedule();
  }

  async function exportCsv() {
    await app.downloadCsv(
      'callList',
      { options: { band: state.calls.band, segment: state.calls.segment, limit: 1_000_000, csv: true } },
      'calls',
      (r) => r.csv,
    );
  }

  return { schedule, pick, exportCsv };
}
