// SPDX-License-Identifier: MIT
// Shared by the web tests: paths, the native CLI, and loading the wasm module in Node.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, dirname } from 'node:path';

export const root = fileURLToPath(new URL('../../', import.meta.url));
export const dist = join(root, 'dist');
export const corpus = process.env.HEALTHSCORE_CORPUS || join(root, '..', 'shared', 'corpus');
export const cli = process.env.HEALTHSCORE_CLI || join(root, 'build', 'native', 'healthscore');
export const sample = { file: join(root, 'web', 'sample', 'accounts.csv'), model: join(root, 'web', 'sample', 'model.json') };

/** Every spreadsheet in the shared corpus, plus the sample. */
export function corpusFiles() {
  const files = [];
  for (const sub of ['csv-spectrum/csvs', 'telco-churn', 'xlsx', 'ods']) {
    const dir = join(corpus, sub);
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).sort()) if (/\.(csv|tsv|xlsx|ods)$/i.test(f)) files.push(join(dir, f));
  }
  return files;
}

/** Runs the native CLI; returns {status, stdout (Buffer), stderr}. */
export function runCli(args) {
  const r = spawnSync(cli, args, { maxBuffer: 1 << 30 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.toString() };
}

/** The wasm module as Node loads it (TOOLCHAIN.md: pass wasmBinary, the loader cannot fetch files). */
export async function loadEngine() {
  const { default: create } = await import(join(dist, 'healthscore.mjs'));
  return create({ wasmBinary: readFileSync(join(dist, 'healthscore.wasm')) });
}

export function localToday() {
  const d = new Date();
  return Math.round(Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()) / 86400000);
}

export { execFileSync, readFileSync, dirname };
