// SPDX-License-Identifier: MIT
// A text column as it crosses from the engine: UTF-8 bytes plus end offsets. Cells are decoded on
// demand; a search decodes and lower-cases the whole column once and scans it with indexOf, which
// keeps searching a million ids and names well under a second.

const decoder = new TextDecoder();

export class TextColumn {
  /** @param {Uint8Array} bytes @param {Uint32Array} ends */
  constructor(bytes, ends) {
    this.bytes = bytes;
    this.ends = ends;
    this.length = ends.length;
    this.lower = null; // lower-cased whole text, when lower-casing kept every length
    this.charEnds = null; // end of each cell in UTF-16 units of `lower`
  }

  get(i) {
    const b = i === 0 ? 0 : this.ends[i - 1];
    return decoder.decode(this.bytes.subarray(b, this.ends[i]));
  }

  prepare() {
    if (this.charEnds) return;
    const text = decoder.decode(this.bytes);
    let charEnds = this.ends;
    if (text.length !== this.bytes.length) {
      // Not ASCII: count UTF-16 units per cell (4-byte UTF-8 sequences are surrogate pairs).
      charEnds = new Uint32Array(this.length);
      let units = 0,
        b = 0;
      for (let i = 0; i < this.length; i++) {
        const end = this.ends[i];
        for (; b < end; b++) {
          const x = this.bytes[b];
          if ((x & 0xc0) !== 0x80) units += x >= 0xf0 ? 2 : 1;
        }
        charEnds[i] = units;
      }
    }
    const lower = text.toLowerCase();
    this.lower = lower.length === text.length ? lower : null;
    this.charEnds = charEnds;
  }

  /** Sets mark[row] = 1 for every row whose cell contains `query` (already lower-cased). */
  markMatches(query, mark) {
    if (!query) return;
    this.prepare();
    if (!this.lower) {
      for (let i = 0; i < this.length; i++) if (this.get(i).toLowerCase().includes(query)) mark[i] = 1;
      return;
    }
    const { lower, charEnds } = this;
    let pos = lower.indexOf(query);
    while (pos >= 0) {
      // The cell holding `pos`: the first whose end is past it.
      let lo = 0,
        hi = this.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (charEnds[mid] > pos) hi = mid;
        else lo = mid + 1;
      }
      if (pos + query.length <= charEnds[lo]) {
        mark[lo] = 1;
        pos = lower.indexOf(query, charEnds[lo]);
      } else {
        pos = lower.indexOf(query, pos + 1);
      }
    }
  }
}
