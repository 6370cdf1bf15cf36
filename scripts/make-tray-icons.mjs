// Draws the tray icons (a small gate: two posts, an arch, bars) for each tray state and writes them
// as PNGs under main/desktop/assets/: tray-<state>.png at 16×16 and tray-<state>@2x.png at 32×32,
// the pair Electron's nativeImage picks between by screen scale. Run once after changing a shape or
// colour (`node scripts/make-tray-icons.mjs`); the PNGs are committed, so builds need no drawing step.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'main', 'desktop', 'assets');

/** Colours as [r, g, b]; chosen to read on both light and dark menu bars and task bars. */
const states = {
  active: { gate: [46, 125, 50], badge: null },
  paused: { gate: [128, 128, 128], badge: null },
  attention: { gate: [46, 125, 50], badge: [230, 126, 0] },
};

// The glyph in unit coordinates (0..1, y down). Each shape answers "is this point inside?".
const rect = (x0, y0, x1, y1) => (x, y) => x >= x0 && x <= x1 && y >= y0 && y <= y1;
const ring = (cx, cy, outer, inner) => (x, y) => {
  const d = Math.hypot(x - cx, y - cy);
  return y <= cy && d <= outer && d >= inner;
};
const disc = (cx, cy, r) => (x, y) => Math.hypot(x - cx, y - cy) <= r;

const gate = [
  rect(0.1, 0.4, 0.24, 0.94), // left post
  rect(0.76, 0.4, 0.9, 0.94), // right post
  ring(0.5, 0.42, 0.4, 0.27), // arch over the posts
  rect(0.24, 0.58, 0.76, 0.66), // rail
  rect(0.38, 0.42, 0.45, 0.94), // bars
  rect(0.55, 0.42, 0.62, 0.94),
];
const badge = disc(0.8, 0.22, 0.2);
const badgeMargin = disc(0.8, 0.22, 0.29);

function draw(size, { gate: gateColour, badge: badgeColour }) {
  const samples = 4; // supersampling per axis, for smooth edges at 16 px
  const pixels = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let inGate = 0;
      let inBadge = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = (px + (sx + 0.5) / samples) / size;
          const y = (py + (sy + 0.5) / samples) / size;
          if (badgeColour && badge(x, y)) inBadge++;
          // A clear margin around the badge keeps it apart from the gate at tray size.
          else if ((!badgeColour || !badgeMargin(x, y)) && gate.some((inside) => inside(x, y))) inGate++;
        }
      }
      const total = samples * samples;
      const offset = (py * size + px) * 4;
      const colour = inBadge >= inGate ? (badgeColour ?? gateColour) : gateColour;
      pixels[offset] = colour[0];
      pixels[offset + 1] = colour[1];
      pixels[offset + 2] = colour[2];
      pixels[offset + 3] = Math.round(((inGate + inBadge) / total) * 255);
    }
  }
  return pixels;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** An 8-bit RGBA PNG (PNG spec §11.2.2: colour type 6), every scanline with filter 0 (none). */
function png(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8);
  const stride = size * 4;
  const raw = Buffer.alloc((stride + 1) * size);
  for (let y = 0; y < size; y++) rgba.copy(raw, y * (stride + 1) + 1, y * stride, (y + 1) * stride);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

mkdirSync(outDir, { recursive: true });
for (const [state, colours] of Object.entries(states)) {
  for (const [size, suffix] of [
    [16, ''],
    [32, '@2x'],
  ]) {
    const file = path.join(outDir, `tray-${state}${suffix}.png`);
    writeFileSync(file, png(size, draw(size, colours)));
    console.log(path.relative(root, file));
  }
}
