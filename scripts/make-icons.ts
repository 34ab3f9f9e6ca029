// Draw Hearth's icons as SVG and render them to the PNGs in web/icons/ with headless Chromium (playwright-core).
// The PNGs are committed: run `node scripts/make-icons.ts` after changing a design here; the web build only copies.
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { chromium } from 'playwright-core';

const out = path.join(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..'), 'web', 'icons');
const CHROMIUM = process.env.HEARTH_CHROMIUM ?? '/usr/bin/chromium';

/** The app's dark background (web/styles/base.css --bg) and the flame's two colours. */
const BG = '#111418';
const FLAME = '#f2994a';
const CORE = '#ffd27a';

/**
 * The hearth mark in a 512×512 box: a flame (outer and inner tongue) over a log, about 300 units tall, centred on
 * (256, 256). `scale` shrinks it about the centre (the maskable icon keeps it inside the 40 % safe-zone circle).
 */
function mark(scale: number, color = { flame: FLAME, core: CORE, log: FLAME }): string {
  const outer =
    'M256 92 C270 150 336 186 360 252 C384 318 356 384 296 400 L216 400 C156 384 128 318 152 262 C166 228 190 212 198 180 ' +
    'C214 206 214 232 226 246 C232 190 232 140 256 92 Z';
  const inner = 'M258 236 C268 276 310 298 312 340 C314 372 292 394 258 396 C224 394 202 372 204 342 C206 306 244 286 258 236 Z';
  return `<g transform="translate(256 256) scale(${scale}) translate(-256 -256)">
    <path d="${outer}" fill="${color.flame}"/>
    <path d="${inner}" fill="${color.core}"/>
    <rect x="150" y="404" width="212" height="28" rx="14" fill="${color.log}"/>
  </g>`;
}

const svg = (size: number, body: string, viewBox = 512): string =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${viewBox} ${viewBox}">${body}</svg>`;

/** A gear outline centred on (cx, cy): `teeth` flat-topped teeth between radius `inner` and `outer`. */
function gear(cx: number, cy: number, outer: number, inner: number, teeth: number): string {
  const points: string[] = [];
  const step = (2 * Math.PI) / teeth;
  for (let i = 0; i < teeth; i++) {
    const a = i * step;
    const corners: Array<[number, number]> = [
      [inner, a - step * 0.32],
      [outer, a - step * 0.18],
      [outer, a + step * 0.18],
      [inner, a + step * 0.32],
    ];
    for (const [r, t] of corners) points.push(`${(cx + r * Math.cos(t)).toFixed(1)} ${(cy + r * Math.sin(t)).toFixed(1)}`);
  }
  return `M${points.join('L')}Z`;
}

/** Status glyphs (DESIGN.md §3) as strokes in a 96×96 box, drawn in `ink` on a disc of the status colour. */
const GLYPHS = {
  queued: {
    color: '#9aa5b4',
    glyph: '<path d="M26 34h16l-16 18h16M48 40h12l-12 13h12M64 48h9l-9 10h9" fill="none" stroke-width="5"/>',
  },
  thinking: {
    color: '#8fb4ff',
    glyph: '<path d="M36 36a12 12 0 1 1 18 10c-4 3-6 5-6 10v2" fill="none" stroke-width="8"/><circle cx="48" cy="70" r="5" stroke="none"/>',
  },
  running: { color: '#f2994a', glyph: `<path d="${gear(48, 48, 31, 23, 8)}" stroke="none"/><circle cx="48" cy="48" r="9" stroke="none" fill="#f2994a"/>` },
  waiting: {
    color: '#f2c94c',
    glyph: '<g stroke="none"><rect x="32" y="28" width="11" height="40" rx="3"/><rect x="53" y="28" width="11" height="40" rx="3"/></g>',
  },
  succeeded: { color: '#4cc38a', glyph: '<path d="M28 50l13 13 27-29" fill="none" stroke-width="9"/>' },
  failed: { color: '#ff6b6b', glyph: '<path d="M32 32l32 32M64 32L32 64" fill="none" stroke-width="9"/>' },
} as const;

const statusIcon = (s: keyof typeof GLYPHS): string => {
  const { color, glyph } = GLYPHS[s];
  return svg(
    96,
    `<g style="--disc:${color}"><circle cx="48" cy="48" r="46" fill="${color}"/>` +
      `<g fill="${BG}" stroke="${BG}" stroke-linecap="round" stroke-linejoin="round">${glyph}</g></g>`,
    96,
  );
};

/** Every PNG: file name (under web/icons/) → size in px and SVG. Names are fixed (notifications and the manifest use them). */
const ICONS: Record<string, { size: number; svg: string }> = {
  'icon-192.png': { size: 192, svg: svg(192, `<rect width="512" height="512" rx="112" fill="${BG}"/>${mark(1)}`) },
  'icon-512.png': { size: 512, svg: svg(512, `<rect width="512" height="512" rx="112" fill="${BG}"/>${mark(1)}`) },
  // Maskable: full bleed, the mark inside the centre circle of radius 40 % (205 px) that every mask keeps (W3C manifest).
  'maskable-512.png': { size: 512, svg: svg(512, `<rect width="512" height="512" fill="${BG}"/>${mark(0.84)}`) },
  // iOS draws its own rounded corners and puts black behind transparency: full bleed, opaque.
  'apple-touch-icon.png': { size: 180, svg: svg(180, `<rect width="512" height="512" fill="${BG}"/>${mark(1)}`) },
  // Android tints the badge and uses only its alpha: the mark in white on transparent.
  'badge.png': { size: 96, svg: svg(96, mark(1.18, { flame: '#fff', core: 'transparent', log: '#fff' })) },
  ...Object.fromEntries(Object.keys(GLYPHS).map((s) => [`status-${s}.png`, { size: 96, svg: statusIcon(s as keyof typeof GLYPHS) }])),
};

/** Render each icon at its size (device scale 1, transparent page) and write it. Throws when Chromium is missing. */
export async function makeIcons(): Promise<string[]> {
  await mkdir(out, { recursive: true });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ deviceScaleFactor: 1 });
    const written: string[] = [];
    for (const [name, { size, svg: markup }] of Object.entries(ICONS)) {
      await page.setViewportSize({ width: size, height: size });
      await page.setContent(`<!doctype html><html><body style="margin:0;background:transparent">${markup}</body></html>`);
      await page.screenshot({ path: path.join(out, name), omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
      written.push(name);
    }
    return written;
  } finally {
    await browser.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const names = await makeIcons();
  process.stdout.write(`web/icons: ${names.join(', ')}\n`);
}
