// SPDX-License-Identifier: MIT
// Helpers for run.mjs: the browser, medians, and the renderer's peak memory from /proc.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

export const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Launches headless Debian Chromium; `tag` marks the browser process so /proc finds its renderers. */
export async function launch(extra = []) {
  const tag = `--healthscore-bench=${process.pid}-${Math.random().toString(36).slice(2)}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [...ARGS, '--enable-precise-memory-info', '--js-flags=--expose-gc', tag, ...extra],
  });
  browser.tag = tag;
  return browser;
}

export function median(xs) {
  const v = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return NaN;
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
}

function procs() {
  const out = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8').replace(/\0/g, ' ');
      out.push({ pid: Number(d), ppid, cmd });
    } catch {
      /* gone */
    }
  }
  return out;
}

/** Renderer processes under the browser launched with `tag`. */
export function renderers(browser) {
  const all = procs();
  const root = all.find((p) => p.cmd.includes(browser.tag) && !p.cmd.includes('--type='));
  if (!root) return [];
  const mine = new Set([root.pid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of all)
      if (!mine.has(p.pid) && mine.has(p.ppid)) {
        mine.add(p.pid);
        grew = true;
      }
  }
  return all.filter((p) => mine.has(p.pid) && p.cmd.includes('--type=renderer')).map((p) => p.pid);
}

function status(pid) {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k) => Number((s.match(new RegExp(`^${k}:\\s+(\\d+)`, 'm')) || [0, 0])[1]) * 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

/** Resets the renderers' peak RSS (clear_refs 5) and remembers their RSS now. */
export function peakStart(browser) {
  const base = new Map();
  for (const pid of renderers(browser)) {
    try {
      writeFileSync(`/proc/${pid}/clear_refs`, '5');
      base.set(pid, status(pid).rss);
    } catch {
      /* gone */
    }
  }
  return base;
}

/** The largest rise of peak RSS over its starting RSS among the renderers since peakStart. */
export function peakEnd(base) {
  let best = 0;
  for (const [pid, rss0] of base) {
    try {
      best = Math.max(best, status(pid).hwm - rss0);
    } catch {
      /* gone */
    }
  }
  return best;
}
