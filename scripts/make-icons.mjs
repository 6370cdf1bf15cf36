// Renders Gatehouse's icons from their SVG sources with resvg, and writes the PNGs that are
// committed (so builds need no drawing step): build/icon.png (1024×1024, from build/icon.svg; the
// installers' .icns and .ico are made from it by electron-builder) and the tray icons
// main/desktop/assets/tray-<state>.png (16×16) and tray-<state>@2x.png (32×32, picked by
// nativeImage on high-density screens), from build/tray-icon.svg coloured per state.
// Run after changing a source: `npm run icons`.
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

/** The tray glyph in one state's colours; the attention badge sits top right with a clear margin. */
function traySvg({ glyph, badge }) {
  let svg = readFileSync(path.join(buildDir, 'tray-icon.svg'), 'utf8').replaceAll('GLYPH_COLOUR', glyph);
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

function write(file, png) {
  writeFileSync(file, png);
  console.log(path.relative(root, file));
}

write(path.join(buildDir, 'icon.png'), render(readFileSync(path.join(buildDir, 'icon.svg'), 'utf8'), 1024));
for (const [state, colours] of Object.entries(trayStates)) {
  const svg = traySvg(colours);
  write(path.join(trayDir, `tray-${state}.png`), render(svg, 16));
  write(path.join(trayDir, `tray-${state}@2x.png`), render(svg, 32));
}
