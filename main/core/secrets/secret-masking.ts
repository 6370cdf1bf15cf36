// A secret scan's findings and its masked copy (secret-scan.ts): each string of the value a slot in
// the joined text, each span found placed in its slot, named by kind and field path (never the value),
// and the value copied with each secret replaced by its kind's marker, wherever else it appears too.
import type { SecretFinding, SecretKind } from '../api/secret-findings.js';
import { SECRET_KIND_WORDS } from '../text.js';
import { MIN_SEALED_LENGTH } from './sealed-values.js';
import type { SecretSpan } from './secret-shapes.js';

/** A container on the way down: the object or array, and where it sits in its parent. */
export interface Node {
  value: Record<string, unknown> | unknown[];
  parent: Node | null;
  key: string | number;
  depth: number;
  /** The holder made for a value that is one string: its path is the value itself. */
  lone?: true;
}

/** One string of the value: an object's or array's item, or an object's key; where it is in the text. */
export interface Slot {
  node: Node;
  key: string | number;
  /** The slot is the key itself, not the value under it. */
  isKey: boolean;
  text: string;
  /** Where the string starts in the joined text. */
  start: number;
  /** A resource's base64 blob read as text: masked, it is encoded again. */
  base64?: true;
  /** Its object is a Google service account: a private key in it is that account's key. */
  serviceAccount?: true;
}

/** What reading a value found, and its copy with every secret replaced by its marker. */
export interface SecretScan {
  /** The kinds and field paths, in the order found, each pair once. */
  findings: SecretFinding[];
  /** The value with each secret (not the examples) replaced by its kind's marker; the value itself if none. */
  masked(): unknown;
}

/** A secret's own characters and kind: what is masked wherever else it appears. */
export interface FoundSecret {
  value: string;
  kind: SecretKind;
}

// ---- Findings and the masked copy ----------------------------------------------------------------

/** The findings of one scan (each kind and path once) and its masked copy, from the spans found in its text. */
export function resultOf(
  root: unknown,
  text: string,
  slots: Slot[],
  spans: SecretSpan[],
  extra: Array<{ slot: Slot; span: SecretSpan }>,
  nested: FoundSecret[],
): SecretScan & { secrets: FoundSecret[] } {
  const bySlot = new Map<Slot, SecretSpan[]>();
  const put = (slot: Slot, span: SecretSpan) => {
    const list = bySlot.get(slot);
    if (list) list.push(span);
    else bySlot.set(slot, [span]);
  };
  const atText = (span: SecretSpan, kind: SecretKind) => {
    const slot = slotAt(slots, span.start);
    if (!slot) return;
    if (slot.serviceAccount && kind === 'private-key-pem') kind = 'gcp-service-account';
    put(slot, { kind, start: span.start - slot.start, end: span.end - slot.start });
  };
  for (const span of spans) if (span.kind !== null && !span.example) atText(span, span.kind);
  for (const { slot, span } of extra) put(slot, span);
  if (bySlot.size === 0 && nested.length === 0) return { findings: [], masked: () => root, secrets: [] };
  // A secret found once is masked wherever else it appears in the value, as it is or as JSON text
  // writes it: a result's structured content comes back as the text of its content too, where only the
  // structure told; a string's JSON told its secrets to `nested`.
  const found = new Map<string, SecretKind>();
  for (const [slot, list] of bySlot)
    for (const span of list) found.set(slot.text.slice(span.start, span.end), span.kind!);
  for (const secret of nested) found.set(secret.value, secret.kind);
  const secrets = [...found].map(([value, kind]) => ({ value, kind }));
  for (const { value, kind } of secrets) {
    for (const form of new Set([value, JSON.stringify(value).slice(1, -1)])) {
      if (form.length < MIN_SEALED_LENGTH) continue;
      for (let at = text.indexOf(form); at !== -1; at = text.indexOf(form, at + form.length))
        atText({ kind, start: at, end: at + form.length }, kind);
    }
  }
  if (bySlot.size === 0) return { findings: [], masked: () => root, secrets };

  const secretKeys = new Set<string>();
  for (const slot of bySlot.keys()) if (slot.isKey) secretKeys.add(keyId(slot.node, slot.key));
  const findings: SecretFinding[] = [];
  const said = new Set<string>();
  for (const slot of slots) {
    const found = bySlot.get(slot);
    if (!found) continue;
    const path = pathOf(slot, secretKeys);
    for (const span of found) {
      const kind = span.kind!;
      if (said.has(`${kind} ${path}`)) continue;
      said.add(`${kind} ${path}`);
      findings.push({ kind, path });
    }
  }
  return { findings, masked: () => maskedCopy(root, bySlot), secrets };
}

/** The slot a joined-text offset falls in (binary search over their starts). */
function slotAt(slots: Slot[], offset: number): Slot | undefined {
  let low = 0;
  let high = slots.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (slots[mid]!.start <= offset) low = mid;
    else high = mid - 1;
  }
  const slot = slots[low];
  return slot && offset >= slot.start && offset < slot.start + slot.text.length ? slot : undefined;
}

const keyIds = new WeakMap<object, number>();
let nextKeyId = 0;
function keyId(node: Node, key: string | number): string {
  let id = keyIds.get(node.value);
  if (id === undefined) keyIds.set(node.value, (id = nextKeyId++));
  return `${id}\0${key}`;
}

/** Keys shown in a path at most this long; longer ones are cut. */
const MAX_PATH_KEY = 40;

/**
 * A slot's field path as the user reads it: `body`, `files[2].content`, `content[0].text`,
 * `env["my key"]`; a key that is itself a secret is shown as `[secret key]`, never its text.
 */
function pathOf(slot: Slot, secretKeys: Set<string>): string {
  const segments: string[] = [];
  const segment = (node: Node, key: string | number) => {
    if (typeof key === 'number') return `[${key}]`;
    if (secretKeys.has(keyId(node, key))) return '[secret key]';
    if (/^[A-Za-z_$][\w$-]*$/.test(key) && key.length <= MAX_PATH_KEY) return `.${key}`;
    return `[${JSON.stringify(key.length > MAX_PATH_KEY ? `${key.slice(0, MAX_PATH_KEY)}…` : key)}]`;
  };
  if (slot.node.lone) return '(the value)';
  segments.push(segment(slot.node, slot.key));
  for (let node: Node | null = slot.node; node?.parent; node = node.parent)
    segments.push(segment(node.parent, node.key));
  const path = segments.reverse().join('');
  return path.startsWith('.') ? path.slice(1) : path || '(the value)';
}

/** A slot's text with its spans replaced by their kinds' markers (overlapping spans as one). */
function maskedText(slot: Slot, spans: SecretSpan[]): string {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let at = 0;
  for (let i = 0; i < sorted.length; i++) {
    const span = sorted[i]!;
    if (span.end <= at) continue;
    let end = span.end;
    while (i + 1 < sorted.length && sorted[i + 1]!.start < end) end = Math.max(end, sorted[++i]!.end);
    out += slot.text.slice(at, Math.max(at, span.start)) + SECRET_KIND_WORDS[span.kind!].marker;
    at = end;
  }
  out += slot.text.slice(at);
  return slot.base64 ? Buffer.from(out, 'utf8').toString('base64') : out;
}

/** A copy of `root` with the slots' secrets masked: only the containers on the way to one are copied. */
function maskedCopy(root: unknown, bySlot: Map<Slot, SecretSpan[]>): unknown {
  const values = new Map<object, Map<string | number, string>>();
  const keys = new Map<object, Map<string, string>>();
  const touched = new Set<object>();
  let rootString: string | undefined;
  for (const [slot, spans] of bySlot) {
    const text = maskedText(slot, spans);
    if (typeof root === 'string') {
      rootString = text;
      continue;
    }
    const target = slot.isKey ? keys : values;
    let map = target.get(slot.node.value) as Map<string | number, string> | undefined;
    if (!map) target.set(slot.node.value, (map = new Map()));
    map.set(slot.key, text);
    for (let node: Node | null = slot.node; node; node = node.parent) touched.add(node.value);
  }
  if (typeof root === 'string') return rootString ?? root;
  const copy = (value: unknown): unknown => {
    if (value === null || typeof value !== 'object' || !touched.has(value)) return value;
    const changed = values.get(value);
    if (Array.isArray(value)) return value.map((item, i) => changed?.get(i) ?? copy(item));
    const renamed = keys.get(value);
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      let name = renamed?.get(key) ?? key;
      while (Object.hasOwn(out, name)) name = `${name}′`;
      Object.defineProperty(out, name, {
        value: changed?.get(key) ?? copy(item),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  };
  return copy(root);
}
