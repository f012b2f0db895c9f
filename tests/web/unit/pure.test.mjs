// SPDX-License-Identifier: MIT
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatInt,
  formatScore,
  formatPercent,
  formatBytes,
  roundHalfAway,
  daysFromCivil,
  isoDate,
  localDays,
  daysOfIso,
  formatDate,
} from '../../../dist/lib/format.js';
import { shares } from '../../../dist/lib/weights.js';
import { histogram, bandOfRounded } from '../../../dist/lib/histogram.js';
import { migration, bandCounts } from '../../../dist/lib/scenario.js';
import { rowOrder, searchPredicate } from '../../../dist/lib/view.js';
import { distinctValues, cellText } from '../../../dist/lib/distinct.js';
import { isZip, unzipWorkbook, openZip } from '../../../dist/lib/zip.js';
import { pickLanguage, translator, MESSAGES } from '../../../dist/lib/i18n.js';
import { zipSync } from '../../../node_modules/fflate/esm/browser.js';
import { prng } from '../helpers.mjs';

/** A zip whose one part inflates to 5,000 bytes but declares 300 in the central directory. */
function lyingZip() {
  const liar = zipSync({ 'xl/worksheets/sheet1.xml': new Uint8Array(5000) });
  const cd = liar.length - 22 - (46 + 'xl/worksheets/sheet1.xml'.length);
  new DataView(liar.buffer).setUint32(cd + 24, 300, true);
  return liar;
}

test('numbers are formatted for the chosen language', () => {
  assert.equal(formatInt(7043, 'en'), '7,043');
  assert.equal(formatInt(70430, 'es'), '70.430');
  assert.equal(formatScore(42.25, 'en'), '42.3');
  assert.equal(formatScore(42.25, 'es'), '42,3');
  assert.equal(formatScore(NaN, 'en'), '—');
  assert.equal(formatPercent(0.4213, 'en'), '42.1%');
  assert.match(formatPercent(0.4213, 'es'), /^42,1\s?%$/);
  assert.equal(formatBytes(1536, 'en'), '1.5 KB');
});

test('scores shown with one decimal are rounded half away from zero, never truncated', () => {
  assert.equal(formatScore(49.95, 'en'), '50.0');
  assert.equal(formatScore(0.05, 'en'), '0.1');
  assert.equal(roundHalfAway(50.5), 51);
  assert.equal(roundHalfAway(-2.5), -3);
  assert.equal(roundHalfAway(0.49999999999999994), 0);
});

test('day numbers match the calendar', () => {
  assert.equal(daysFromCivil(1970, 1, 1), 0);
  assert.equal(isoDate(daysFromCivil(2026, 11, 25)), '2026-11-25');
  assert.equal(localDays(new Date(2026, 10, 25, 23, 59)), daysFromCivil(2026, 11, 25));
});

test("a date input's yyyy-mm-dd is a day number only when it is a real day, and dates are formatted per language", () => {
  assert.equal(daysOfIso('2026-11-30'), daysFromCivil(2026, 11, 30));
  assert.equal(daysOfIso('1970-01-01'), 0);
  assert.equal(daysOfIso('2026-02-30'), null);
  assert.equal(daysOfIso('2026-13-01'), null);
  assert.equal(daysOfIso('30/11/2026'), null);
  assert.equal(daysOfIso(''), null);
  assert.equal(formatDate(daysFromCivil(2026, 11, 30), 'en'), 'Nov 30, 2026');
  assert.equal(formatDate(daysFromCivil(2026, 11, 30), 'es'), formatDate(daysFromCivil(2026, 11, 30), 'es')); // one formatter, reused
  assert.match(formatDate(daysFromCivil(2026, 11, 30), 'es'), /30 nov 2026/);
});

test('weight shares sum to one and ignore switched-off weights', () => {
  assert.deepEqual(shares([40, 20, 25, 15]), [0.4, 0.2, 0.25, 0.15]);
  assert.deepEqual(shares([0, 0]), [0, 0]);
  assert.deepEqual(shares([1, 0, 3]), [0.25, 0, 0.75]);
});

test('the histogram counts rounded scores, each bar in exactly one band', () => {
  const h = histogram(Float64Array.from([0, 50.4, 50.5, 100, NaN, 70.49]));
  assert.equal(h.unscored, 1);
  assert.equal(h.counts[50], 1);
  assert.equal(h.counts[51], 1);
  assert.equal(h.counts[70], 1);
  const bands = [{ max: 50 }, { max: 70 }, { max: 100 }];
  assert.equal(bandOfRounded(50, bands), 0);
  assert.equal(bandOfRounded(51, bands), 1);
  assert.equal(bandOfRounded(100, bands), 2);
});

test('the migration matrix counts every account once and lists the movers', () => {
  const base = Int8Array.from([0, 0, 1, 2, -1]);
  const now = Int8Array.from([0, 1, 1, 1, 0]);
  const m = migration(base, now, 3);
  assert.deepEqual(m.matrix, [
    [1, 1, 0, 0],
    [0, 1, 0, 0],
    [0, 1, 0, 0],
    [1, 0, 0, 0],
  ]);
  assert.deepEqual([...m.changed], [1, 3, 4]);
  assert.deepEqual(bandCounts(now, 3), [2, 3, 0, 0]);
});

test('row order filters by band, searches and sorts stably with unscored last', () => {
  const scores = Float64Array.from([30, NaN, 80, 30, 60]);
  const bands = Int8Array.from([0, -1, 2, 0, 1]);
  assert.deepEqual([...rowOrder({ scores, bands, sort: 'score', dir: 1 })], [0, 3, 4, 2, 1]);
  assert.deepEqual([...rowOrder({ scores, bands, sort: 'score', dir: -1 })], [2, 4, 0, 3, 1]);
  assert.deepEqual([...rowOrder({ scores, bands, band: 0 })], [0, 3]);
  const names = ['Acme', 'Globex', 'acme west', 'Initech', 'Hooli'];
  const match = searchPredicate(' ACME ', [(i) => names[i]]);
  assert.deepEqual([...rowOrder({ scores, bands, match })], [0, 2]);
  assert.deepEqual([...rowOrder({ scores, bands, sort: 'name', text: (i) => names[i] })], [0, 2, 1, 4, 3]);
  assert.deepEqual([...rowOrder({ scores, bands, sort: 'band', dir: -1 })], [2, 4, 0, 3, 1]);
});

test('row orders: the band sort counts, a given order is only filtered, both match a comparison sort', () => {
  // A seeded generator, so a failure reproduces.
  let seed = 12345;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const n = 5000;
  const scores = new Float64Array(n);
  const bands = new Int8Array(n);
  for (let i = 0; i < n; i++) {
    scores[i] = next() < 0.05 ? NaN : Math.round(next() * 1000) / 10;
    bands[i] = Number.isNaN(scores[i]) ? -1 : scores[i] <= 50 ? 0 : scores[i] <= 70 ? 1 : 2;
  }
  const reference = (key, dir, last) =>
    [...Array(n).keys()].sort((a, b) => {
      const x = key(a),
        y = key(b);
      if (last(x) || last(y)) return last(x) === last(y) ? a - b : last(x) ? 1 : -1;
      return x === y ? a - b : (x < y ? -1 : 1) * dir;
    });
  for (const dir of [1, -1]) {
    assert.deepEqual(
      [...rowOrder({ scores, bands, sort: 'band', dir })],
      reference(
        (i) => bands[i],
        dir,
        (b) => b < 0,
      ),
    );
    const byScore = rowOrder({ scores, bands, sort: 'score', dir });
    assert.deepEqual(
      [...byScore],
      reference((i) => scores[i], dir, Number.isNaN),
    );
    // An order handed in (as the engine's) is kept and filtered, never re-sorted.
    const reversed = Uint32Array.from([...byScore].reverse());
    assert.deepEqual([...rowOrder({ scores, bands, sorted: reversed, sort: 'score', dir })], [...reversed]);
    assert.deepEqual(
      [...rowOrder({ scores, bands, sorted: reversed, band: 1 })],
      [...reversed].filter((i) => bands[i] === 1),
    );
    assert.deepEqual(
      [...rowOrder({ scores, bands, sorted: byScore, band: -1, match: (i) => i % 2 === 0 })],
      [...byScore].filter((i) => bands[i] === -1 && i % 2 === 0),
    );
  }
});

test('distinct values are trimmed, case-insensitive and counted', () => {
  const enc = new TextEncoder();
  const cells = ['Yes', ' yes', 'No', '', 'Maybe', 'YES', 'ñandú'];
  const bytes = enc.encode(cells.join(''));
  const ends = new Uint32Array(cells.length);
  let n = 0;
  cells.forEach((c, i) => {
    n += enc.encode(c).length;
    ends[i] = n;
  });
  assert.equal(cellText(bytes, ends, 6), 'ñandú');
  const d = distinctValues(bytes, ends, 2);
  assert.equal(d.distinct, 4);
  assert.deepEqual(d.values, [
    { value: 'Yes', count: 3 },
    { value: 'Maybe', count: 1 },
  ]);
});

test("workbook unzipping keeps XML parts and refuses bombs and lies with the CLI's messages", () => {
  const enc = new TextEncoder();
  const zip = zipSync({ 'xl/workbook.xml': enc.encode('<workbook/>'), 'xl/media/a.png': new Uint8Array(10), mimetype: enc.encode('x') });
  assert.equal(isZip(zip), true);
  assert.equal(isZip(enc.encode('a,b\n')), false);
  const r = unzipWorkbook(zip, 'book.xlsx');
  assert.deepEqual([...r.names].sort(), ['mimetype', 'xl/workbook.xml']);
  assert.equal(new TextDecoder().decode(r.entries[r.names.indexOf('xl/workbook.xml')]), '<workbook/>');
  const big = zipSync({ 'xl/worksheets/sheet1.xml': new Uint8Array(3 << 20) }, { level: 9 });
  assert.throws(
    () => unzipWorkbook(big, 'b.xlsx'),
    (e) =>
      e.code === 'zip.ratio' &&
      /b\.xlsx looks like a zip bomb: its part "xl\/worksheets\/sheet1\.xml" would inflate .* to 3 MB, more than 200 times \(the limit\)/.test(
        e.message,
      ),
  );
  assert.throws(
    () => unzipWorkbook(big, 'b.xlsx', { maxEntryBytes: 1 << 20, maxTotalBytes: 1 << 30, maxRatio: 1e9, ratioFromBytes: 0 }),
    (e) => e.code === 'zip.part_too_large' && /over the limit of 1 MB per part/.test(e.message),
  );
  assert.throws(
    () => unzipWorkbook(zip.subarray(0, zip.length - 30), 't.xlsx'),
    (e) => e.code === 'zip.damaged' && /damaged or truncated/.test(e.message),
  );
  // A part that declares fewer bytes than it inflates to.
  const liar = lyingZip();
  assert.throws(
    () => unzipWorkbook(liar, 'l.xlsx'),
    (e) => e.code === 'zip.lies' && /inflates to more than the 300 bytes it declares/.test(e.message),
  );
});

test('a zip part is inflated only when asked for, and the total counts what was read', () => {
  const enc = new TextEncoder();
  const zip = zipSync({ 'a.xml': enc.encode('<a/>'), 'b.xml': enc.encode('<b>' + 'x'.repeat(1000) + '</b>') });
  const z = openZip(zip, 'z.xlsx', { maxEntryBytes: 1 << 20, maxTotalBytes: 1500, maxRatio: 200, ratioFromBytes: 1 << 20 });
  assert.deepEqual(z.names, ['a.xml', 'b.xml']);
  assert.equal(new TextDecoder().decode(z.read('a.xml')), '<a/>');
  assert.equal(z.read('b.xml').length, 1007);
  assert.throws(
    () => z.read('b.xml'),
    /z\.xlsx is too large to read: with its part "b\.xml" it inflates to 2,018 bytes, over the limit of 1,500 bytes per file/,
  );
  assert.throws(() => z.read('c.xml'), /has no part named "c\.xml"/);
});

test('a zip part inflates into a buffer the caller gives (the wasm heap), the same bytes and refusals as into its own', () => {
  const enc = new TextEncoder();
  const text = '<sheet>' + 'row,'.repeat(20000) + '</sheet>';
  // 200 KB that does not compress: more than one slice of compressed input goes into the buffer.
  const random = prng(11);
  const noise = Uint8Array.from({ length: 200000 }, () => Math.floor(random() * 256));
  const zip = zipSync({
    'deflated.xml': enc.encode(text),
    'stored.xml': [enc.encode('<s/>'), { level: 0 }],
    'noise.bin': noise,
    'empty-deflated.xml': new Uint8Array(0),
    'empty-stored.xml': [new Uint8Array(0), { level: 0 }],
  });
  const z = openZip(zip, 'z.xlsx');
  assert.ok(zip.length > 200000, 'the noise did not compress');
  for (const name of ['deflated.xml', 'stored.xml', 'noise.bin', 'empty-deflated.xml', 'empty-stored.xml']) {
    const own = z.read(name);
    const size = z.size(name);
    assert.equal(size, own.length + 1, `${name}: the buffer is the declared size + 1`);
    const heap = new Uint8Array(size + 64);
    const into = heap.subarray(32, 32 + size);
    const got = z.read(name, into);
    if (own.length) {
      assert.equal(got.buffer, heap.buffer, `${name}: inflated in place, not into a new buffer`);
      assert.equal(got.byteOffset, 32);
    }
    assert.deepEqual(got, own);
    assert.ok(heap.subarray(0, 32).every((b) => b === 0) && heap.subarray(32 + size).every((b) => b === 0), `${name}: nothing written outside`);
    assert.throws(() => z.read(name, new Uint8Array(size - 1)), RangeError);
  }
  // A part that inflates past what it declares is refused the same way into a given buffer.
  const liar = lyingZip();
  const l = openZip(liar, 'l.xlsx');
  assert.throws(
    () => l.read('xl/worksheets/sheet1.xml', new Uint8Array(l.size('xl/worksheets/sheet1.xml'))),
    (e) => e.code === 'zip.lies',
  );
  assert.throws(
    () => z.size('c.xml'),
    (e) => e.code === 'zip.missing_part',
  );
});

test('the interface language comes from the browser and every string exists in both', () => {
  assert.equal(pickLanguage(['es-MX', 'en']), 'es');
  assert.equal(pickLanguage(['fr-FR', 'en-GB']), 'en');
  assert.equal(pickLanguage(['de']), 'en');
  assert.deepEqual(Object.keys(MESSAGES.es).sort(), Object.keys(MESSAGES.en).sort());
  assert.equal(translator('es')('load.summary', { name: 'a.csv', rows: '3', columns: '2' }), 'a.csv: 3 filas, 2 columnas');
});

test('a text column finds every cell containing a query, ASCII or not, never across cells', async () => {
  const { TextColumn } = await import('../../../dist/lib/textcol.js');
  const make = (cells) => {
    const enc = new TextEncoder();
    const parts = cells.map((c) => enc.encode(c));
    const bytes = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
    const ends = new Uint32Array(cells.length);
    let n = 0;
    parts.forEach((p, i) => {
      bytes.set(p, n);
      n += p.length;
      ends[i] = n;
    });
    return new TextColumn(bytes, ends);
  };
  const find = (col, q) => {
    const m = new Uint8Array(col.length);
    col.markMatches(q, m);
    return [...m.keys()].filter((i) => m[i]);
  };
  const ascii = make(['Acme', 'acme west', 'Globex', 'me', 'Ac', 'meGlo']);
  assert.deepEqual(find(ascii, 'acme'), [0, 1]);
  assert.deepEqual(find(ascii, 'meglo'), [5]); // not "acme"+"Globex" across the boundary... only row 5
  assert.deepEqual(find(ascii, 'me'), [0, 1, 3, 5]);
  const unicode = make(['Ñandú SA', '🚀 Rocket', 'São Paulo', 'ñandú 2']);
  assert.deepEqual(find(unicode, 'ñandú'), [0, 3]);
  assert.deepEqual(find(unicode, 'rocket'), [1]);
  assert.deepEqual(find(unicode, 'paulo'), [2]);
  assert.equal(unicode.get(1), '🚀 Rocket');
});

test('a shown health score never contradicts its band, under any cut points', async () => {
  const { formatHealth } = await import('../../../dist/lib/format.js');
  const { bandOfRounded } = await import('../../../dist/lib/histogram.js');
  let seed = 12345;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let round = 0; round < 2000; round++) {
    // Random increasing cut points (fractional ones too), the last 100.
    const n = 1 + Math.floor(rnd() * 5);
    const cuts = Array.from({ length: n - 1 }, () => Math.round(rnd() * 1000) / 10).sort((a, b) => a - b);
    const bands = [...cuts.map((max) => ({ max })), { max: 100 }];
    // Scores near the cut points and anywhere, as doubles (45.48, 45.5, 50.4999999).
    const near = cuts.length ? cuts[Math.floor(rnd() * cuts.length)] : 50;
    for (const x of [rnd() * 100, near + (rnd() - 0.5), near + 0.5, near - 0.5, Math.floor(near) + 0.5, Math.floor(near) + 0.49999999999999994]) {
      if (!(x >= 0 && x <= 100)) continue;
      // The engine's band (spec: round half away from zero, first band whose max >= r).
      const r = x < 0 ? -Math.round(-x) : Math.round(x);
      const engineBand = bands.findIndex((b) => b.max >= r);
      for (const lang of ['en', 'es']) {
        const shown = Number(formatHealth(x, lang).replace(/[^\d-]/g, ''));
        assert.equal(bandOfRounded(shown, bands), engineBand, `score ${x} shown as ${shown} with cuts ${cuts}`);
      }
    }
  }
});

test("new rules point the sensible way and start from the column's range", async () => {
  const { lowerIsBetter, startingSteps, localizeDefaults } = await import('../../../dist/lib/defaults.js');
  for (const name of ['Open tickets', 'Invoices overdue', 'Días desde el último pago', 'Chamados abertos', 'Incidencias (90d)'])
    assert.equal(lowerIsBetter(name), true, name);
  for (const name of ['Logins (30d)', 'NPS', 'Usuarios activos', 'Receita']) assert.equal(lowerIsBetter(name), false, name);
  const steps = startingSteps(0, 12, true);
  assert.deepEqual(
    steps.map((s) => s.score),
    [100, 50, 0],
  );
  assert.ok(steps[0].max > 0 && steps[0].max < steps[1].max && steps[1].max < 12);
  assert.deepEqual(
    startingSteps(0, 12, false).map((s) => s.score),
    [0, 50, 100],
  );
  const t = (k) => ({ 'band.red.label': 'En riesgo', 'band.red.action': 'Llamar esta semana' })[k] || k;
  const m = localizeDefaults(
    {
      bands: [
        { id: 'red', label: 'At risk', action: 'Call this week' },
        { id: 'yellow', label: 'Mine', action: 'Mine too' },
      ],
    },
    t,
  );
  assert.deepEqual(
    m.bands.map((b) => [b.label, b.action]),
    [
      ['En riesgo', 'Llamar esta semana'],
      ['Mine', 'Mine too'],
    ],
  );
});

test('every interface string has a Spanish and a Portuguese text with the same placeholders', async () => {
  const { MESSAGES: all } = await import('../../../dist/lib/i18n.js');
  const names = (s) =>
    [...s.matchAll(/\{(\w+)\}/g)]
      .map((m) => m[1])
      .sort()
      .join(',');
  for (const lang of ['es', 'pt']) {
    assert.deepEqual(
      Object.keys(all[lang]).filter((k) => !(k in all.en)),
      [],
      `${lang}: keys English lacks`,
    );
    assert.deepEqual(
      Object.keys(all.en).filter((k) => !(k in all[lang])),
      [],
      `${lang}: untranslated keys`,
    );
    for (const [k, v] of Object.entries(all.en)) assert.equal(names(all[lang][k]), names(v), `${lang} ${k}`);
  }
});

test("a lift is said in the signal's own values, in the language's number and date formats", async () => {
  const { liftText, changeText } = await import('../../../dist/lib/lift.js');
  const base = { category: 0, signal: 0, signal_id: null, decimals: 0, percent: false, any_other: false, from_score: 20, to_score: 70 };
  const tickets = {
    ...base,
    column: 'Open tickets',
    direction: 'reduce',
    kind: 'number',
    from_raw: '6',
    from_value: 6,
    to_value: 2,
    to_text: '2',
    bound: 'or_fewer',
  };
  const model = { bands: [{ label: 'At risk' }, { label: 'Neutral' }, { label: 'Healthy' }] };
  const e = { band: 1, next_band: { to_band: 2, to_health: 85, changes: [tickets] } };
  assert.equal(liftText(e, model, 'en'), 'To reach Healthy (health 85): reduce Open tickets from 6 to 2 or fewer.');
  assert.equal(liftText(e, model, 'es'), 'Para llegar a Healthy (salud 85): baje Open tickets de 6 a 2 o menos.');
  const logins = {
    ...base,
    column: 'Logins',
    direction: 'raise',
    kind: 'number',
    from_raw: '1234.5',
    from_value: 1234.5,
    to_value: 3100.5,
    to_text: '3100.5',
    decimals: 1,
    bound: 'or_more',
  };
  assert.equal(changeText(logins, 'pt-BR'), 'aumente Logins de 1.234,5 para 3.100,5 ou mais');
  const pct = { ...logins, column: 'Active', percent: true, decimals: 3, from_raw: '41.5%', from_value: 0.415, to_value: 0.831 };
  assert.equal(changeText(pct, 'en'), 'raise Active from 41.5% to 83.1% or more');
  const date = {
    ...base,
    column: 'Last login',
    direction: 'raise',
    kind: 'date',
    from_raw: '2026-08-17',
    from_value: daysFromCivil(2026, 8, 17),
    to_value: daysFromCivil(2026, 10, 7),
    to_text: '2026-10-07',
    bound: 'or_more',
  };
  assert.match(changeText(date, 'en'), /^move Last login from Aug 17, 2026 to Oct 7, 2026 or later$/);
  const plan = {
    ...base,
    column: 'Plan',
    direction: 'set',
    kind: 'text',
    from_raw: 'Basic',
    from_value: null,
    to_value: null,
    to_text: 'Pro',
    bound: 'exactly',
  };
  assert.equal(changeText(plan, 'es'), 'cambie Plan de Basic a Pro');
  const two = { band: 0, next_band: { to_band: 1, to_health: 51, changes: [tickets, plan] } };
  assert.match(
    liftText(two, model, 'en'),
    /^No single signal can lift .* reduce Open tickets from 6 to 2 or fewer and change Plan from Basic to Pro\.$/,
  );
  assert.equal(liftText({ band: 0, next_band: null }, model, 'pt'), 'Nem dois sinais juntos conseguem levar esta conta para a próxima faixa.');
  assert.equal(liftText({ band: 2, next_band: null }, model, 'en'), 'Already in the top band.');
});
