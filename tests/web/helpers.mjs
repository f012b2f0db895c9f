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

/**
 * Raw deflate made of `blocks` dynamic blocks that each declare a lone 15-bit code and end at once:
 * zlib (and pako) refuse the first block; fflate accepts them all, at about a second per megabyte.
 */
export function invalidCodeBlocks(blocks) {
  const bytes = [];
  let cur = 0,
    n = 0;
  const put = (v, bits) => {
    for (let i = 0; i < bits; i++) {
      cur |= ((v >> i) & 1) << n;
      if (++n === 8) (bytes.push(cur), (cur = 0), (n = 0));
    }
  };
  const code = (c, len) => {
    for (let i = len - 1; i >= 0; i--) put((c >> i) & 1, 1);
  };
  const order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];
  const lengths = { 18: 1, 0: 2, 15: 2 };
  for (let b = 0; b < blocks; b++) {
    (put(b === blocks - 1 ? 1 : 0, 1), put(2, 2), put(0, 5), put(0, 5), put(15, 4));
    for (const s of order) put(lengths[s] ?? 0, 3);
    (code(0, 1), put(127, 7), code(0, 1), put(107, 7), code(3, 2), code(2, 2), code(0, 15));
  }
  if (n) bytes.push(cur);
  return Uint8Array.from(bytes);
}

/** mulberry32: a small seeded generator of numbers in [0, 1), so a failing property test replays. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The sample model with `k` categories of two of its signals each (weights 1 to 3): a model whose
 * weight search takes many weightings.
 */
export function wideSampleModel(k) {
  const base = JSON.parse(readFileSync(sample.model, 'utf8'));
  const signals = base.categories.flatMap((c) => c.signals);
  return {
    ...base,
    categories: Array.from({ length: k }, (_, i) => ({
      id: `c${i}`,
      label: `Group ${i}`,
      weight: 1 + (i % 3),
      signals: [signals[i % signals.length], signals[(i * 5 + 3) % signals.length]],
    })),
  };
}
