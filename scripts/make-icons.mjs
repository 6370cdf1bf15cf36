// Renders Gatehouse's icons from their SVG sources with resvg, and writes the files that are
// committed (so builds need no drawing step): build/icon.png (1024×1024, from build/icon.svg; the
// macOS .icns is made from it by electron-builder), build/icon.ico (the Windows app icon, every
// size Explorer and the taskbar ask for), and the tray icons from build/tray-icon.svg coloured per
// state: main/desktop/assets/tray-<state>.png (16×16) and tray-<state>@2x.png (32×32, picked by
// nativeImage on high-density screens) for macOS and Linux, and tray-<state>.ico for Windows, whose
// notification area wants 16, 20, 24 or 32 px at 100, 125, 150 and 200 % and blurs a scaled PNG.
// macOS gets template images, tray-<state>Template.png and @2x: black and clear only (the menu bar
// draws them in its own colours, light or dark), the state carried by shape — the gate open (active),
// closed (paused), with a badge (needs attention). Run after changing a source: `npm run icons`.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const buildDir = path.join(root, 'build');
const trayDir = path.join(root, 'main', 'desktop', 'assets');

/** Colours chosen to read on light and dark menu bars and task bars. */
const trayStates = {
  active: { glyph: '#2E7D32', badge: null },
  paused: { glyph: '#808080', badge: null },
  attention: { glyph: '#2E7D32', badge: '#E67E00' },
};

function render(svg, width) {
  return new Resvg(svg, { fitTo: { mode: 'width', value: width }, shapeRendering: 2 }).render().asPng();
}

/** macOS template images: black, the state in the shape (the gate closed when paused, the badge). */
const templateStates = {
  active: { glyph: '#000000', badge: null, closed: false },
  paused: { glyph: '#000000', badge: null, closed: true },
  attention: { glyph: '#000000', badge: '#000000', closed: false },
};

/**
 * The tray glyph in one state's colours; the attention badge sits top right with a clear margin.
 * `closed`: the gateway filled in (the portcullis down), for a paused template image.
 */
function traySvg({ glyph, badge, closed = false }) {
  let svg = readFileSync(path.join(buildDir, 'tray-icon.svg'), 'utf8').replaceAll('GLYPH_COLOUR', glyph);
  if (closed) svg = svg.replace('fill-rule="evenodd"', 'fill-rule="nonzero"');
  if (badge) {
    const mask =
      '<defs><mask id="badge-margin"><rect width="32" height="32" fill="#fff"/>' +
      '<circle cx="25.5" cy="7" r="8.5" fill="#000"/></mask></defs>';
    svg = svg
      .replace(/(<svg[^>]*>)/, `$1${mask}<g mask="url(#badge-margin)">`)
      .replace('</svg>', `</g><circle cx="25.5" cy="7" r="6" fill="${badge}"/></svg>`);
  }
  return svg;
}

/**
 * An .ico file holding one PNG per size (PNG entries: Windows Vista and later). Layout: a 6-byte
 * header, a 16-byte directory entry per image, then the images; 256 px is written as 0.
 */
function ico(pngs) {
  const header = Buffer.alloc(6 + 16 * pngs.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(pngs.length, 4);
  let offset = header.length;
  pngs.forEach(({ size, png }, index) => {
    const entry = 6 + 16 * index;
    header.writeUInt8(size >= 256 ? 0 : size, entry);
    header.writeUInt8(size >= 256 ? 0 : size, entry + 1);
    header.writeUInt8(0, entry + 2); // no palette
    header.writeUInt8(0, entry + 3);
    header.writeUInt16LE(1, entry + 4); // colour planes
    header.writeUInt16LE(32, entry + 6); // bits per pixel
    header.writeUInt32LE(png.length, entry + 8);
    header.writeUInt32LE(offset, entry + 12);
    offset += png.length;
  });
  return Buffer.concat([header, ...pngs.map(({ png }) => png)]);
}

const icoOf = (svg, sizes) => ico(sizes.map((size) => ({ size, png: render(svg, size) })));

function write(file, bytes) {
  writeFileSync(file, bytes);
  console.log(path.relative(root, file));
}

const appSvg = readFileSync(path.join(buildDir, 'icon.svg'), 'utf8');
write(path.join(buildDir, 'icon.png'), render(appSvg, 1024));
write(path.join(buildDir, 'icon.ico'), icoOf(appSvg, [16, 20, 24, 32, 40, 48, 64, 256]));
for (const [state, colours] of Object.entries(trayStates)) {
  const svg = traySvg(colours);
  write(path.join(trayDir, `tray-${state}.png`), render(svg, 16));
  write(path.join(trayDir, `tray-${state}@2x.png`), render(svg, 32));
  write(path.join(trayDir, `tray-${state}.ico`), icoOf(svg, [16, 20, 24, 32, 40, 48]));
}
for (const [state, shape] of Object.entries(templateStates)) {
  const svg = traySvg(shape);
  write(path.join(trayDir, `tray-${state}Template.png`), render(svg, 16));
  write(path.join(trayDir, `tray-${state}Template@2x.png`), render(svg, 32));
}
