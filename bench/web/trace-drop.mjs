// SPDX-License-Identifier: MIT
// Where "file dropped -> band counts painted" goes (issue 17): the page's Worker operations with
// their durations, from the moment the file is handed to the page, for one drop of accounts-N.csv.
//   node bench/web/trace-drop.mjs [N]      (bench/out/accounts-N.csv must exist; N = 1000000)
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from './server.mjs';
import { launch } from './lib.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const n = Number(process.argv[2] || 1000000);
const { url, close } = await serve(ROOT);
const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(url + '/dist/index.html');
  await page.waitForSelector('body[data-engine="ready"]');
  await page.evaluate(async (n) => {
    window.__file = new File([await (await fetch(`/bench/out/accounts-${n}.csv`)).blob()], `accounts-${n}.csv`, { type: 'text/csv' });
    const engine = window.healthscore.engine;
    const call = engine.call.bind(engine);
    window.__ops = [];
    engine.call = (op, ...rest) => {
      const start = performance.now();
      const p = call(op, ...rest);
      p.then(() => window.__ops.push({ op, start: start - window.__t0, ms: performance.now() - start }));
      return p;
    };
  }, n);
  const total = await page.evaluate(
    (n) =>
      new Promise((done) => {
        window.__t0 = performance.now();
        const ready = () => {
          const d = document.body.dataset;
          return d.rows === String(n) && d.busy === '0' && d.totalsVersion === d.modelVersion && d.scoredVersion === d.modelVersion;
        };
        new MutationObserver((_, obs) => {
          if (!ready()) return;
          obs.disconnect();
          requestAnimationFrame(() => done(performance.now() - window.__t0));
        }).observe(document.body, { attributes: true });
        window.healthscore.files.open(window.__file);
      }),
    n,
  );
  const ops = await page.evaluate(() => window.__ops);
  console.log(`accounts-${n}.csv dropped -> painted: ${total.toFixed(0)} ms`);
  for (const o of ops.sort((a, b) => a.start - b.start))
    if (o.start < total) console.log(`  ${o.op.padEnd(12)} from ${o.start.toFixed(0).padStart(6)} ms  took ${o.ms.toFixed(0).padStart(6)} ms`);
} finally {
  await browser.close();
  await close();
}
