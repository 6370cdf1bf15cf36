// Copies the browser test's screenshots (test-results/screenshots/, written by
// `npx vitest run test/browser`) into docs/screenshots/ as small palette PNGs: the 256 most frequent
// colours, every other colour (anti-aliased text edges) mapped to the nearest of them. A UI
// screenshot keeps its look at about a third of the size. No dependencies:
//
//   node test/browser/update-doc-screenshots.ts
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync, inflateSync, crc32 } from 'node:zlib';

const ROOT = join(import.meta.dirname, '..', '..');
const FROM = join(ROOT, 'test-results', 'screenshots');
const TO = join(ROOT, 'docs', 'screenshots');

/** The ones the docs keep: every main view, the client's browser page, one in dark mode, the catalog. */
const DOC_SCREENSHOTS = [
  'overview',
  'clients',
  'consent-dialog',
  'consent-browser-page',
  'connectors',
  'tools-held',
  'approvals',
  'activity',
  'settings',
  'connect-a-client',
  'connectors-dark',
  'catalog',
  'tools-900px',
];

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

interface Rgb {
  width: number;
  height: number;
  /** width × height × 3 bytes. */
  pixels: Buffer;
}

/** Decodes the PNGs Chromium writes: 8-bit RGB or RGBA, not interlaced (alpha is dropped). */
function decode(png: Buffer): Rgb {
  if (!png.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG');
  let width = 0;
  let height = 0;
  let channels = 0;
  const data: Buffer[] = [];
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const body = png.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const [depth, colour, , , interlace] = body.subarray(8, 13);
      if (depth !== 8 || (colour !== 2 && colour !== 6) || interlace !== 0) {
        throw new Error(`unsupported PNG (depth ${depth}, colour type ${colour}, interlace ${interlace})`);
      }
      channels = colour === 2 ? 3 : 4;
    } else if (type === 'IDAT') data.push(body);
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(data));
  const stride = width * channels;
  const pixels = Buffer.alloc(width * height * 3);
  let previous = Buffer.alloc(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = Buffer.from(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)));
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? line[x - channels]! : 0;
      const b = previous[x]!;
      const c = x >= channels ? previous[x - channels]! : 0;
      let predicted = 0;
      if (filter === 1) predicted = a;
      else if (filter === 2) predicted = b;
      else if (filter === 3) predicted = (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
        predicted = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      line[x] = (line[x]! + predicted) & 0xff;
    }
    for (let x = 0; x < width; x++) line.copy(pixels, (y * width + x) * 3, x * channels, x * channels + 3);
    previous = line;
  }
  return { width, height, pixels };
}

function chunk(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])) >>> 0, 0);
  return Buffer.concat([head, body, crc]);
}

/** Encodes as an 8-bit palette PNG of the 256 most frequent colours. */
function encodePalette({ width, height, pixels }: Rgb): Buffer {
  const key = (i: number) => (pixels[i]! << 16) | (pixels[i + 1]! << 8) | pixels[i + 2]!;
  const frequency = new Map<number, number>();
  for (let i = 0; i < pixels.length; i += 3) frequency.set(key(i), (frequency.get(key(i)) ?? 0) + 1);
  const palette = [...frequency.entries()]
    .sort((x, y) => y[1] - x[1])
    .slice(0, 256)
    .map(([colour]) => colour);
  const index = new Map(palette.map((colour, i) => [colour, i]));
  const nearest = (colour: number): number => {
    let best = 0;
    let bestDistance = Infinity;
    palette.forEach((candidate, i) => {
      const dr = ((candidate >> 16) & 0xff) - ((colour >> 16) & 0xff);
      const dg = ((candidate >> 8) & 0xff) - ((colour >> 8) & 0xff);
      const db = (candidate & 0xff) - (colour & 0xff);
      const distance = 3 * dr * dr + 4 * dg * dg + 2 * db * db;
      if (distance < bestDistance) [best, bestDistance] = [i, distance];
    });
    return best;
  };
  for (const colour of frequency.keys()) if (!index.has(colour)) index.set(colour, nearest(colour));
  const raw = Buffer.alloc(height * (width + 1));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) raw[y * (width + 1) + 1 + x] = index.get(key((y * width + x) * 3))!;
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 3, 0, 0, 0], 8);
  const plte = Buffer.alloc(palette.length * 3);
  palette.forEach((colour, i) =>
    plte.set([(colour >> 16) & 0xff, (colour >> 8) & 0xff, colour & 0xff], i * 3),
  );
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', header),
    chunk('PLTE', plte),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const missing = DOC_SCREENSHOTS.filter((name) => !existsSync(join(FROM, `${name}.png`)));
if (missing.length > 0) {
  console.error(`missing in ${FROM}: ${missing.join(', ')}. Run \`npx vitest run test/browser\` first.`);
  process.exit(1);
}
mkdirSync(TO, { recursive: true });
for (const name of DOC_SCREENSHOTS) {
  const original = readFileSync(join(FROM, `${name}.png`));
  const small = encodePalette(decode(original));
  writeFileSync(join(TO, `${name}.png`), small);
  console.log(`docs/screenshots/${name}.png  ${original.length} → ${small.length} bytes`);
}
