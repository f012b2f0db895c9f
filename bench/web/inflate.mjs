// SPDX-License-Identifier: MIT
// Inflating workbook parts as the page does (dist/lib/inflate.js: pako, bounded, into one buffer;
// then the part's CRC-32, dist/lib/crc32.js) against fflate's inflateSync into a buffer of the
// declared size (what the page did before), in Node's V8 (Chromium's engine), interleaved, medians.
// Also the hostile case: deflate blocks that declare invalid Huffman codes (zlib refuses the first).
//   node bench/web/inflate.mjs [--runs 7]      prints a Markdown table
import { inflateSync, deflateSync, strToU8 } from '../../node_modules/fflate/esm/browser.js';
import { inflateBounded } from '../../dist/lib/inflate.js';
import { crc32 } from '../../dist/lib/crc32.js';
import { invalidCodeBlocks } from '../../tests/web/helpers.mjs';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 7;
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const time = (f) => {
  const t = performance.now();
  f();
  return performance.now() - t;
};

// A sheet part like the generated accounts' (numbers, dates, shared-string indexes), 300k rows.
let xml = '<worksheet><sheetData>';
for (let i = 0; i < 300000; i++)
  xml += `<row r="${i + 2}"><c r="A${i + 2}" t="s"><v>${i}</v></c><c r="B${i + 2}"><v>${((i * 7919) % 1000) / 10}</v></c><c r="C${i + 2}" s="3"><v>${45000 + (i % 300)}</v></c></row>`;
xml += '</sheetData></worksheet>';
const raw = strToU8(xml);
const packed = deflateSync(raw, { level: 6 });
const evil = invalidCodeBlocks(100000);

const rows = [];
const ours = [],
  oursCrc = [],
  theirs = [],
  evilOurs = [],
  evilTheirs = [];
for (let k = 0; k < runs; k++) {
  theirs.push(time(() => inflateSync(packed, { out: new Uint8Array(raw.length + 1) })));
  ours.push(time(() => inflateBounded(packed, raw.length)));
  oursCrc.push(time(() => crc32(inflateBounded(packed, raw.length).bytes)));
  evilTheirs.push(time(() => inflateSync(evil, { out: new Uint8Array(1 << 20) })));
  evilOurs.push(time(() => inflateBounded(evil, 1 << 20)));
}
const mb = (n) => (n / 1e6).toFixed(1);
rows.push(
  `| sheet part, ${mb(packed.length)} MB -> ${mb(raw.length)} MB | ${median(ours).toFixed(0)} ms | ${median(oursCrc).toFixed(0)} ms | ${median(theirs).toFixed(0)} ms | ${(median(ours) / median(theirs)).toFixed(2)} |`,
);
rows.push(
  `| invalid codes, ${mb(evil.length)} MB (refused) | ${median(evilOurs).toFixed(1)} ms | - | ${median(evilTheirs).toFixed(0)} ms (accepted, 0 bytes) | ${(median(evilOurs) / median(evilTheirs)).toFixed(4)} |`,
);
console.log(`Node ${process.version}, medians of ${runs}, interleaved\n`);
console.log('| input | ours (pako, bounded) | ours + CRC-32 | fflate inflateSync | ours / fflate |');
console.log('|---|---|---|---|---|');
for (const r of rows) console.log(r);
