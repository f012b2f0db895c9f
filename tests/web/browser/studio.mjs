// SPDX-License-Identifier: MIT
// Page object for the studio: what a user does, through roles and accessible names, and the
// readiness signals the page publishes (never sleeps).
import { readFile } from 'node:fs/promises';
import { chromium } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function launch() {
  return chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/** Records every request, console error and page error of a browser context. */
export function watch(context, origin) {
  const log = { requests: [], foreign: [], errors: [] };
  context.on('request', (r) => {
    log.requests.push(r.url());
    const u = r.url();
    if (!(u.startsWith(origin) || u.startsWith('blob:') || u.startsWith('data:'))) log.foreign.push(u);
  });
  context.on('page', (page) => attach(page, log));
  return log;
}

function attach(page, log) {
  page.on('console', (m) => {
    if (m.type() === 'error') log.errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => log.errors.push(`pageerror: ${e.message}`));
}

export class Studio {
  constructor(page) {
    this.page = page;
  }

  async open(url) {
    await this.page.goto(url);
    await this.page.waitForSelector('body[data-engine="ready"]');
    await this.settled();
  }

  /** Waits until the engine is idle and the results belong to the current model. */
  async settled() {
    await this.page.waitForFunction(() => {
      const d = document.body.dataset;
      // With no file loaded there is nothing to score: idle is settled.
      return d.engine === 'ready' && d.busy === '0' && (d.modelVersion === d.scoredVersion || !d.rows);
    });
  }

  async loadSample() {
    const before = await this.page.evaluate(() => document.body.dataset.modelVersion);
    await this.page.getByRole('button', { name: 'Try the sample' }).click();
    await this.page.waitForFunction((v) => document.body.dataset.rows && document.body.dataset.modelVersion !== v, before);
    await this.settled();
  }

  /**
   * Picks a file with the file chooser, as a user would. `file` is a path or {name, mimeType, buffer}.
   * When the file lacks some of the model's columns the page asks what to do: `report` answers
   * 'suggest' (start from a suggested model, the default), 'keep', 'map', or 'none' (leave the
   * question on screen).
   */
  async upload(file, { report = 'suggest' } = {}) {
    const before = await this.page.evaluate(() => [document.body.dataset.modelVersion, document.body.dataset.alerts]);
    await this.page.getByLabel('Choose a file').setInputFiles(file);
    // A new model, a new alert (one still shown from an earlier step does not count) or the column report.
    await this.page.waitForFunction(
      ([v, a]) => document.body.dataset.modelVersion !== v || document.body.dataset.alerts !== a || document.body.dataset.pending === '1',
      before,
    );
    if (report !== 'none' && (await this.page.evaluate(() => document.body.dataset.pending)) === '1') await this.answerColumnReport(report);
    await this.settled();
  }

  /** Answers the column report shown for a file that lacks some of the model's columns. */
  async answerColumnReport(report) {
    const name = {
      suggest: 'Start from a suggested model',
      keep: 'Keep the model (switch those signals off)',
      map: 'Use the chosen columns',
      cancel: 'Don’t use this file',
    }[report];
    const before = await this.page.evaluate(() => document.body.dataset.modelVersion);
    await this.page.getByRole('button', { name }).click();
    await this.page.waitForFunction(
      (v) => document.body.dataset.pending === '0' && (document.body.dataset.modelVersion !== v || document.body.dataset.rows),
      before,
    );
    await this.settled();
  }

  /** Band label -> account count, read from the band summary table. */
  async bandCounts() {
    const table = this.page.getByRole('table', { name: /Band summary|Resumen por bandas/ });
    const rows = await table.locator('tbody tr').all();
    const out = {};
    for (const row of rows) {
      const label = (await row.getByRole('rowheader').locator('.badge').innerText()).replace(/^[^\p{L}]+/u, '').trim();
      const count = Number((await row.locator('td').first().innerText()).replace(/[^\d]/g, ''));
      out[label] = count;
    }
    return out;
  }

  slider(name) {
    return this.page.getByRole('slider', { name, exact: true });
  }

  async download(buttonName) {
    const [download] = await Promise.all([this.page.waitForEvent('download'), this.page.getByRole('button', { name: buttonName }).click()]);
    return { name: download.suggestedFilename(), bytes: await readFile(await download.path()) };
  }

  async model() {
    const { bytes } = await this.download('Download model (JSON)');
    return JSON.parse(bytes.toString('utf8'));
  }

  async exportCsv() {
    return this.download('Export scored CSV');
  }

  /** Copies the share link; a model holding values from the data asks first (`values`: 'with' or 'without'). */
  async copyLink({ values = 'with' } = {}) {
    await this.page.getByRole('button', { name: 'Copy link' }).click();
    const ask = this.page.getByRole('region', { name: 'Values from your data in the link' });
    if (await ask.isVisible().catch(() => false))
      await this.page.getByRole('button', { name: values === 'with' ? 'Copy the link with them' : 'Copy the link without these values' }).click();
    const field = this.page.getByLabel('Share link');
    await this.page.waitForFunction(() => document.getElementById('share-link').value.includes('#model='));
    return field.inputValue();
  }

  /** Waits until the Evidence figures (and, with `full`, the suggested weights) are the current model's. */
  async evidenceSettled({ full = true } = {}) {
    await this.settled();
    await this.page.waitForFunction((f) => {
      const d = document.body.dataset;
      return (
        d.busy === '0' &&
        d.modelVersion === d.scoredVersion &&
        d.evidenceVersion === d.modelVersion &&
        (!f || d.evidenceFullVersion === d.modelVersion)
      );
    }, full);
  }

  /** Loads an earlier file of the same accounts in Evidence and waits for the comparison. */
  async loadEarlier(file) {
    await this.page.evaluate(() => {
      document.body.dataset.compare = '';
    });
    await this.page.getByLabel('Load an earlier file of the same accounts').setInputFiles(file);
    await this.page.waitForFunction(() => document.body.dataset.compare === 'done');
  }

  alert() {
    return this.page.getByRole('alert');
  }

  /** Runs `action` and returns the text of the alert it raised (not one still shown from before). */
  async alertAfter(action) {
    const before = await this.page.evaluate(() => document.body.dataset.alerts);
    await action();
    await this.page.waitForFunction((a) => document.body.dataset.alerts !== a, before);
    return this.alert().innerText();
  }
}

/**
 * Serves dist/, starts Chromium with one context (English, downloads on, every request watched)
 * and opens the studio in it. `init` runs in every page before its scripts. Answers what a test
 * file's `before` needs; `close()` is its `after`.
 */
export async function startStudio({ dist, viewport = { width: 1366, height: 1000 }, locale = 'en-US', init } = {}) {
  const { serve } = await import('../../../scripts/static-server.mjs');
  const { server, url } = await serve(dist, 0);
  const origin = url.replace(/\/$/, '');
  const browser = await launch();
  const context = await browser.newContext({ viewport, locale, acceptDownloads: true });
  if (init) await context.addInitScript(init);
  const log = watch(context, origin);
  const studio = new Studio(await context.newPage());
  await studio.open(url);
  const close = async () => {
    await browser.close();
    server.close();
  };
  return { server, url, origin, browser, context, log, studio, close };
}
