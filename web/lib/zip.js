// SPDX-License-Identifier: MIT
// Unzipping a workbook in the Worker with zip-bomb guards. fflate inflates each entry into a buffer
// of its declared size, so checking declared sizes before inflating bounds what is allocated.

/** Mirrors healthscore::zip_limits (core/include/healthscore/archive.hpp). */
export const ZIP_LIMITS = Object.freeze({
  maxEntryBytes: 512 * 1024 * 1024,
  maxTotalBytes: 1024 * 1024 * 1024,
  maxRatio: 200,
  ratioFromBytes: 1024 * 1024,
});

/** A zip problem the page can explain: code is zip_entry, zip_total, zip_ratio or zip_damaged. */
export class ZipError extends Error {
  constructor(code, detail) {
    super(code);
    this.code = code;
    this.detail = detail;
  }
}

/** True for the bytes of a zip file (local header or empty archive). */
export function isZip(bytes) {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5);
}

/** Entries a workbook reader can need: XML parts, relationships and the ODS mimetype. */
export function wantedEntry(name) {
  return name === 'mimetype' || /\.(xml|rels)$/i.test(name);
}

/**
 * Inflates the entries a reader needs, refusing over-limit ones before inflating them.
 * @param {Uint8Array} bytes @param {Function} unzipSync fflate's
 * @returns {{names: string[], entries: Uint8Array[]}}
 */
export function unzipWorkbook(bytes, unzipSync, limits = ZIP_LIMITS) {
  let total = 0;
  const filter = (f) => {
    if (!wantedEntry(f.name)) return false;
    if (f.originalSize > limits.maxEntryBytes) throw new ZipError('zip_entry', { name: f.name, bytes: f.originalSize, limit: limits.maxEntryBytes });
    total += f.originalSize;
    if (total > limits.maxTotalBytes) throw new ZipError('zip_total', { bytes: total, limit: limits.maxTotalBytes });
    if (f.originalSize > limits.ratioFromBytes && f.originalSize > limits.maxRatio * Math.max(1, f.size))
      throw new ZipError('zip_ratio', { name: f.name, ratio: Math.round(f.originalSize / Math.max(1, f.size)), limit: limits.maxRatio });
    return true;
  };
  let files;
  try {
    files = unzipSync(bytes, { filter });
  } catch (e) {
    if (e instanceof ZipError) throw e;
    throw new ZipError('zip_damaged', { reason: String(e && e.message) });
  }
  const names = Object.keys(files);
  return { names, entries: names.map((n) => files[n]) };
}
