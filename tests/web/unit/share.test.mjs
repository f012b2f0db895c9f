// SPDX-License-Identifier: MIT
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { encodeModel, decodeModel, readFragment, shareLink, crc32, toBase64Url, fromBase64Url } from '../../../dist/lib/share.js';

const sample = JSON.parse(readFileSync(new URL('../../../web/sample/model.json', import.meta.url), 'utf8'));

test('a model survives encode then decode exactly', () => {
  const r = decodeModel(encodeModel(sample));
  assert.equal(r.ok, true);
  assert.deepEqual(r.model, sample);
});

test('unknown fields and unicode labels survive the round trip', () => {
  const m = { ...sample, name: 'Salud del cliente — ñandú 🚀', x_future: { a: [1, 2, 3] } };
  assert.deepEqual(decodeModel(encodeModel(m)).model, m);
});

test('the fragment uses only URL-safe characters', () => {
  assert.match(encodeModel(sample), /^1\.[A-Za-z0-9_-]+\.[0-9a-f]{8}$/);
});

test('a link cut in half is refused, never half-read', () => {
  const v = encodeModel(sample);
  for (const cut of [v.length - 1, v.length - 9, Math.floor(v.length / 2), 5, 2]) {
    const r = decodeModel(v.slice(0, cut));
    assert.equal(r.ok, false, `cut at ${cut}`);
  }
});

test('an edited character is caught by the checksum or the decoder', () => {
  const v = encodeModel(sample);
  const i = Math.floor(v.length / 2);
  const edited = v.slice(0, i) + (v[i] === 'A' ? 'B' : 'A') + v.slice(i + 1);
  assert.equal(decodeModel(edited).ok, false);
});

test('each kind of bad value names its problem', () => {
  assert.equal(decodeModel('').error, 'empty');
  assert.equal(decodeModel('hello').error, 'format');
  assert.equal(decodeModel('1.eJxLTEwEAAJ').error, 'truncated');
  assert.equal(decodeModel('2.abc.00000000').error, 'version');
  assert.equal(decodeModel('1.a*b.00000000').error, 'base64');
  assert.equal(decodeModel('1.AAAA.00000000').error, 'inflate');
  assert.equal(decodeModel('1.AAAA.zz').error, 'checksum');
});

test('a link that inflates past 1 MB is refused', async () => {
  const { deflateSync } = await import('../../../node_modules/fflate/esm/browser.js');
  const big = new TextEncoder().encode(JSON.stringify({ version: 1, name: 'x'.repeat(2 << 20) }));
  const v = `1.${toBase64Url(deflateSync(big))}.${crc32(big).toString(16).padStart(8, '0')}`;
  assert.equal(decodeModel(v).error, 'too_large');
});

test('a non-object JSON document is refused', async () => {
  const { deflateSync } = await import('../../../node_modules/fflate/esm/browser.js');
  const arr = new TextEncoder().encode('[1,2]');
  const v = `1.${toBase64Url(deflateSync(arr))}.${crc32(arr).toString(16).padStart(8, '0')}`;
  assert.equal(decodeModel(v).error, 'json');
});

test('readFragment finds the model among other fragment parts', () => {
  assert.equal(readFragment('#model=1.abc.def'), '1.abc.def');
  assert.equal(readFragment('#x=1&model=1.abc.def'), '1.abc.def');
  assert.equal(readFragment('#other'), null);
  assert.equal(readFragment(''), null);
});

test('shareLink replaces any existing fragment and round-trips', () => {
  const link = shareLink('http://127.0.0.1:8080/index.html#model=old', sample);
  assert.ok(link.startsWith('http://127.0.0.1:8080/index.html#model=1.'));
  assert.deepEqual(decodeModel(readFragment(new URL(link).hash)).model, sample);
});

test('base64url round-trips every byte value', () => {
  const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
  assert.deepEqual(fromBase64Url(toBase64Url(bytes)), bytes);
  assert.equal(crc32(new TextEncoder().encode('123456789')), 0xcbf43926);
});
