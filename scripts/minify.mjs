// SPDX-License-Identifier: MIT
// Minifies every .js and .mjs file under a folder in place, each on its own: the page stays plain ES
// modules (imports and exports untouched), only smaller. Keeps /*! */ and @license comments.
// Usage: node scripts/minify.mjs DIR
import { readdirSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { minify } from 'terser';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node scripts/minify.mjs DIR');
  process.exit(2);
}

function* files(d) {
  for (const name of readdirSync(d)) {
    const p = join(d, name);
    if (statSync(p).isDirectory()) yield* files(p);
    else if (/\.m?js$/.test(name)) yield p;
  }
}

let before = 0,
  after = 0;
for (const file of files(dir)) {
  const code = readFileSync(file, 'utf8');
  const out = await minify(code, { module: true, ecma: 2020, compress: { passes: 2 }, mangle: true, format: { comments: 'some' } });
  if (typeof out.code !== 'string') throw new Error(`minify: ${file} gave no code`);
  writeFileSync(file, out.code);
  before += code.length;
  after += out.code.length;
}
console.log(`minify: ${Math.round(before / 1024)} kB -> ${Math.round(after / 1024)} kB of JavaScript`);
