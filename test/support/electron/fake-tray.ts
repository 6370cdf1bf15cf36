// Fakes of the tray's Electron objects (nativeImage, Menu, Tray) and readers of the menus the shell builds.
import type { AppMenuItem } from '../../../main/desktop/app-menu.js';
import type { TrayElectron, TrayIcon } from '../../../main/desktop/tray.js';
import type { TrayMenuItem } from '../../../main/desktop/tray-menu.js';

export class FakeImage {
  constructor(readonly path: string) {}
}

/** A menu item of the tray menu or the application menu. */
export type FakeMenuItem = Omit<TrayMenuItem, 'submenu'> &
  Omit<AppMenuItem, 'submenu'> & { submenu?: FakeMenuItem[] };

export class FakeMenu {
  constructor(readonly template: FakeMenuItem[]) {}
}

export class FakeTray implements TrayIcon<FakeImage, FakeMenu> {
  image: FakeImage;
  toolTip = '';
  menu: FakeMenu | null = null;
  destroyed = false;
  popUps = 0;
  readonly clickListeners: Array<() => void> = [];

  constructor(image: FakeImage) {
    this.image = image;
  }
  setImage(image: FakeImage): void {
    this.image = image;
  }
  setToolTip(toolTip: string): void {
    this.toolTip = toolTip;
  }
  setContextMenu(menu: FakeMenu | null): void {
    this.menu = menu;
  }
  on(_event: 'click', listener: () => void): this {
    this.clickListeners.push(listener);
    return this;
  }
  popUpContextMenu(): void {
    this.popUps++;
  }
  destroy(): void {
    this.destroyed = true;
  }
}

interface FakeMenuModule {
  buildFromTemplate(template: FakeMenuItem[]): FakeMenu;
  setApplicationMenu(menu: FakeMenu | null): void;
}

export interface FakeTrayElectron extends TrayElectron<FakeImage, FakeMenu> {
  Menu: FakeMenuModule;
  readonly trays: FakeTray[];
  readonly menusBuilt: FakeMenu[];
  /** Every Menu.setApplicationMenu, in order. */
  readonly applicationMenus: Array<FakeMenu | null>;
  readonly clipboardWrites: string[];
}

export function fakeTrayElectron(): FakeTrayElectron {
  const trays: FakeTray[] = [];
  const menusBuilt: FakeMenu[] = [];
  const applicationMenus: Array<FakeMenu | null> = [];
  const clipboardWrites: string[] = [];
  return {
    trays,
    menusBuilt,
    applicationMenus,
    clipboardWrites,
    Tray: class extends FakeTray {
      constructor(image: FakeImage) {
        super(image);
        trays.push(this);
      }
    },
    Menu: {
      buildFromTemplate: (template) => {
        const menu = new FakeMenu(template);
        menusBuilt.push(menu);
        return menu;
      },
      setApplicationMenu: (menu) => void applicationMenus.push(menu),
    },
    nativeImage: { createFromPath: (path) => new FakeImage(path) },
    clipboard: { writeText: (text) => void clipboardWrites.push(text) },
  };
}

/** The item reached by following labels through submenus; throws with what was there instead. */
export function menuItem(template: readonly FakeMenuItem[], ...labels: string[]): FakeMenuItem {
  let items = template;
  let found: FakeMenuItem | undefined;
  for (const label of labels) {
    found = items.find((item) => item.label !== undefined && shown(item.label) === label);
    if (!found) {
      const present = items
        .map((item) => (item.label === undefined ? `(${item.type})` : shown(item.label)))
        .join(' | ');
      throw new Error(`no menu item "${label}" among: ${present}`);
    }
    items = found.submenu ?? [];
  }
  if (!found) throw new Error('menuItem needs at least one label');
  return found;
}

/** Labels of a menu level as shown, separators as '---', role items as 'role:<role>'. */
export function labels(items: readonly FakeMenuItem[]): string[] {
  return items.map((item) =>
    item.type === 'separator' ? '---' : item.role ? `role:${item.role}` : shown(item.label ?? ''),
  );
}

/**
 * A label as Electron 45 shows it, on every OS alike: `&&` is a literal `&`, and a lone `&` marks the
 * next character as the mnemonic (underlined on Windows and Linux, here in `[ ]`) and is not shown
 * itself — macOS drops it (l10n_util::FixUpWindowsStyleLabel), Linux turns it into GTK's `_`
 * (ui::ConvertAcceleratorsFromWindowsStyle), Windows' menus read it as the Alt key.
 */
export function shown(label: string): string {
  return label.replace(/&(&|.?)/gu, (_match, next: string) =>
    next === '&' ? '&' : next === '' ? '' : `[${next}]`,
  );
}
