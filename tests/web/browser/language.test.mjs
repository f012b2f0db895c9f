// SPDX-License-Identifier: MIT
// The studio in Spanish and Brazilian Portuguese, picked from the browser's language: no string of
// the English catalogue on the page, numbers in the language's format, and no page-level sideways
// scroll on a 390 px phone. Screenshots at 1366 px and 390 px of each language.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '../../../scripts/static-server.mjs';
import { launch, watch } from './studio.mjs';
import { dist, root } from '../helpers.mjs';

const shots = join(root, 'build', 'screenshots');
let server, url, browser, MESSAGES, ENGINE;

before(async () => {
  mkdirSync(shots, { recursive: true });
  ({ server, url } = await serve(dist, 0));
  browser = await launch();
  ({ MESSAGES } = await import('../../../dist/lib/i18n.js'));
  ({ default: ENGINE } = await import('../../../dist/lib/messages-data.js'));
});

after(async () => {
  await browser?.close();
  server?.close();
});

/**
 * English catalogue strings that would betray a missing translation (long enough to be
 * unambiguous): the page's own catalogue and the engine's messages (errors, evidence warnings and
 * verdicts, core/messages/*.json).
 */
function englishOnly(lang) {
  const out = [];
  const engine = Object.fromEntries(Object.entries(ENGINE).map(([k, e]) => [`engine:${k}`, e]));
  const page = Object.fromEntries(Object.keys(MESSAGES.en).map((k) => [k, { en: MESSAGES.en[k], [lang]: MESSAGES[lang][k] }]));
  for (const [key, entry] of Object.entries({ ...page, ...engine })) {
    const en = entry.en;
    const other = entry[lang];
    if (!other || other === en) continue;
    // The fixed text between placeholders, where it is long enough to mean something.
    for (const piece of en.split(/\{\w+\}/)) if (piece.trim().length >= 14 && !other.includes(piece.trim())) out.push({ key, piece: piece.trim() });
  }
  return out;
}

async function studioIn(locale, width) {
  const context = await browser.newContext({ viewport: { width, height: 900 }, locale, acceptDownloads: true });
  const log = watch(context, url.replace(/\/$/, ''));
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForSelector('body[data-started="1"]');
  return { context, page, log };
}

for (const [lang, locale, sampleButton, accounts] of [
  ['es', 'es-ES', /ejemplo/i, /2000 cuentas/],
  ['pt', 'pt-BR', /exemplo/i, /2\.000 contas/],
]) {
  test(`a ${locale} browser gets the studio in its language, with no English catalogue text and its number format`, async () => {
    const { context, page, log } = await studioIn(locale, 1366);
    assert.equal(await page.evaluate(() => document.documentElement.lang), lang === 'pt' ? 'pt-BR' : 'es');
    await page.getByRole('button', { name: sampleButton }).click();
    await page.waitForFunction(
      () =>
        document.body.dataset.rows &&
        document.body.dataset.busy === '0' &&
        document.body.dataset.modelVersion === document.body.dataset.scoredVersion,
    );
    await page.waitForFunction(() => document.body.dataset.evidenceVersion === document.body.dataset.modelVersion);
    // Every folded part open, so its text counts too.
    await page.evaluate(() => {
      for (const d of document.querySelectorAll('details')) d.open = true;
    });
    const text = await page.evaluate(() => document.body.innerText);
    assert.match(await page.locator('#summary-body').innerText(), accounts);
    assert.match(await page.locator('#summary-body').innerText(), /\d+,\d\s?%/);
    const found = englishOnly(lang).filter(({ piece }) => text.includes(piece));
    assert.deepEqual(found, []);
    // The suggested bands speak the language too.
    const bandLabels = await page
      .locator('#bands-body input[aria-label]')
      .evaluateAll((els) => els.filter((e) => e.type === 'text').map((e) => e.value));
    assert.ok(!bandLabels.includes('At risk') && !bandLabels.includes('Call this week'), bandLabels.join(', '));
    await page.screenshot({ path: join(shots, `studio-${lang}-1366.png`), fullPage: true });
    assert.deepEqual(log.errors, []);
    await context.close();
  });

  test(`on a 390 px phone in ${locale} the page never scrolls sideways`, async () => {
    const { context, page } = await studioIn(locale, 390);
    await page.getByRole('button', { name: sampleButton }).click();
    await page.waitForFunction(
      () =>
        document.body.dataset.rows &&
        document.body.dataset.busy === '0' &&
        document.body.dataset.modelVersion === document.body.dataset.scoredVersion,
    );
    await page.waitForFunction(() => document.body.dataset.evidenceVersion === document.body.dataset.modelVersion);
    await page.evaluate(() => {
      for (const d of document.querySelectorAll('details')) d.open = true;
    });
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `the page is ${width} px wide`);
    // The sticky step bar is one line that scrolls inside itself, not four lines over the content.
    const nav = await page.locator('nav.steps').boundingBox();
    assert.ok(nav.height < 48, `the step bar is ${nav.height} px tall`);
    await page.screenshot({ path: join(shots, `studio-${lang}-390.png`), fullPage: true });
    await context.close();
  });
}

test("a file the engine refuses is explained in the page's language, switching with it, never in English", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hs-lang-'));
  const bad = join(dir, 'cuentas.csv');
  writeFileSync(bad, 'Código;Plan;MRR\n"A1;Pro;10\n');
  const { context, page, log } = await studioIn('es-ES', 1366);
  await page.locator('#file-input').setInputFiles(bad);
  const alert = page.getByRole('alert');
  await alert.waitFor();
  const es = await alert.innerText();
  assert.match(es, /cuentas\.csv: fila 2, columna 1 \("Código"\): aquí empieza una celda entre comillas que nunca se cierra/);
  assert.deepEqual(
    englishOnly('es').filter(({ piece }) => es.includes(piece)),
    [],
  );
  // The same refusal in Portuguese once the page is switched (the answer keeps its code).
  await page.locator('#lang').selectOption('pt');
  await page.locator('#file-input').setInputFiles(bad);
  await page.waitForFunction(() => /linha 2/.test(document.getElementById('alert').textContent));
  const pt = await alert.innerText();
  assert.match(pt, /cuentas\.csv: linha 2, coluna 1 \("Código"\): aqui começa uma célula entre aspas que nunca se fecha/);
  assert.deepEqual(
    englishOnly('pt').filter(({ piece }) => pt.includes(piece)),
    [],
  );
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('on a 390 px phone in English the page never scrolls sideways either', async () => {
  const { context, page } = await studioIn('en-US', 390);
  await page.getByRole('button', { name: 'Try the sample' }).click();
  await page.waitForFunction(
    () =>
      document.body.dataset.rows && document.body.dataset.busy === '0' && document.body.dataset.modelVersion === document.body.dataset.scoredVersion,
  );
  await page.evaluate(() => {
    for (const d of document.querySelectorAll('details')) d.open = true;
  });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the page is ${width} px wide`);
  await page.screenshot({ path: join(shots, 'studio-en-390.png'), fullPage: true });
  await context.close();
});
