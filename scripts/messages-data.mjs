// SPDX-License-Identifier: MIT
// Writes the page's copy of the message catalogue: core/messages/*.json merged into one ES module
// (`export default {code: {en, es, pt}}`), the same templates the engine compiles in.
//   node scripts/messages-data.mjs OUT.js
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'core', 'messages');
const all = {};
for (const name of readdirSync(dir)
  .filter((n) => n.endsWith('.json'))
  .sort()) {
  const doc = JSON.parse(readFileSync(join(dir, name), 'utf8'));
  for (const [code, entry] of Object.entries(doc)) {
    if (code.startsWith('$')) continue;
    if (code in all) throw new Error(`${name}: the code ${code} is defined twice`);
    all[code] = { en: entry.en, es: entry.es, pt: entry.pt };
  }
}
const out = process.argv[2];
if (!out) throw new Error('usage: node scripts/messages-data.mjs OUT.js');
writeFileSync(
  out,
  '// Generated from core/messages/*.json by scripts/messages-data.mjs: do not edit.\nexport default ' + JSON.stringify(all) + ';\n',
);
