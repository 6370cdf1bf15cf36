// A tool call's arguments or result read for secret material at any depth: every string and key,
// joined into one text and scanned once for shapes (secret-shapes.ts) and sealed values
// (sealed-values.ts), plus what only the structure shows (an AWS key id beside its secret, a Google
// service account's object, several credentials under names that say so). Findings name the kind and
// the field path, never the value; the masked copy replaces each secret with its kind's marker.
import type { SecretFinding, SecretKind } from '../api/secret-findings.js';
import { SECRET_KIND_WORDS } from '../text.js';
import { MIN_SEALED_LENGTH, type SealedValues } from './sealed-values.js';
import { keyWords, namesCredential } from './secret-names.js';
import { findSecretShapes, isSecretSetting, type SecretSpan } from './secret-shapes.js';

/** A container on the way down: the object or array, and where it sits in its parent. */
interface Node {
  value: Record<string, unknown> | unknown[];
  parent: Node | null;
  key: string | number;
  depth: number;
  /** The holder made for a value that is one string: its path is the value itself. */
  lone?: true;
}

/** One string of the value: an object's or array's item, or an object's key; where it is in the text. */
interface Slot {
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
interface FoundSecret {
  value: string;
  kind: SecretKind;
}

/** Keys shorter than this are not read for secrets: no shape, and no credential worth sealing, is this short. */
const MIN_SECRET_KEY = 16;

/** JSON inside a string is read as the value it is when the string is at most this long. */
const MAX_NESTED_JSON = 64 * 1024;
/** JSON inside JSON inside a string… is read this deep. */
const MAX_NESTING = 2;

/**
 * How a value is read: `result`, as a result (a CallToolResult or a ReadResourceResult), whose content
 * blocks' images' and sounds' base64 `data` is not text for a reader and whose resources' base64 `blob`
 * is read as the text it encodes.
 */
interface ScanShape {
  result?: boolean;
}

/** Strings shorter than this are not read: no shape, and no sealed value, is this short. */
const MIN_SECRET_STRING = MIN_SEALED_LENGTH;
/** Containers nested deeper than this are not read (JSON this deep is refused at the door anyway). */
const MAX_DEPTH = 1_024;
/** Containers read at most in one value (a value made with cycles ends here). */
const MAX_CONTAINERS = 4_000_000;

/** Strings longer than this are not decoded from base64 to be read. */
const MAX_DECODED = 16 * 1024 * 1024;

/** Reads a value (a call's arguments, or anything JSON) for secret material; see SecretScan. */
export function scanValue(value: unknown, sealed: SealedValues, shape: ScanShape = {}): SecretScan {
  // Most values hold no secret: a first read gathers their text alone (no paths, no copies) and
  // decides; only a value where something may be is read again with everything a finding needs.
  if (!mayHoldSecrets(value, sealed, shape)) return { findings: [], masked: () => value };
  const { findings, masked } = scan(value, sealed, shape, 0);
  return { findings, masked };
}

/**
 * The first read: whether anything in the value may be secret material — a held shape or a sealed
 * value in its text, an object that names credentials or holds an AWS key id, JSON in a string that
 * does. A yes is read again in full (`scan`), which decides; so this read may say yes where `scan`
 * finds nothing (only time is lost), never no where it finds something.
 */
function mayHoldSecrets(value: unknown, sealed: SealedValues, shape: ScanShape): boolean {
  // The strings, joined with "\0" once at the end: no copy per string, no test per string.
  const parts: string[] = [];
  const add = (string: string) => parts.push(string);
  let structure = false;
  let containers = 0;
  let lastKey: string | undefined;
  let lastNamed = false;
  // A result's `content` array holds its blocks, whose image or sound `data` is not text (`block`).
  const blocks = shape.result === true ? contentOf(value) : undefined;
  const gather = (item: unknown, depth: number, block: boolean): void => {
    if (typeof item === 'string') {
      if (item.length >= MIN_SECRET_STRING) add(item);
      return;
    }
    if (item === null || typeof item !== 'object' || depth > MAX_DEPTH || ++containers > MAX_CONTAINERS)
      return;
    if (Array.isArray(item)) {
      const ofBlocks = depth === 1 && item === blocks;
      for (let i = 0; i < item.length; i++) gather(item[i], depth + 1, ofBlocks);
      return;
    }
    const object = item as Record<string, unknown>;
    const media = block && (object.type === 'image' || object.type === 'audio');
    let named = 0;
    // `for…in`, not Object.keys: no array made per object (a key inherited too is one string more).
    for (const key in object) {
      if (key.length >= MIN_SECRET_KEY) add(key);
      const child = object[key];
      if (typeof child !== 'string') {
        // Numbers, booleans and null hold nothing: only containers are read further.
        if (child !== null && typeof child === 'object') gather(child, depth + 1, false);
        continue;
      }
      if (child.length < MIN_SECRET_STRING || (media && key === 'data')) continue;
      const decoded = key === 'blob' && isBlob(object, child, shape) ? textOf(child) : undefined;
      add(decoded ?? child);
      // Objects of one shape repeat their keys (the same strings): the last verdict is asked first.
      if (key !== lastKey) [lastKey, lastNamed] = [key, namesCredential(key)];
      if (lastNamed || (child.length === 20 && AWS_KEY_ID.test(child))) named++;
      // A decoded blob is not in the text as it was sent: its JSON is looked for here, the rest below.
      if (decoded !== undefined && !structure && child.length <= MAX_NESTED_JSON && child.includes('":'))
        structure = embeddedJson(child) !== undefined;
    }
    if (named >= 1 && Object.keys(object).length >= 2) structure ||= named >= 2 || hasAwsPair(object);
  };
  gather(value, 0, false);
  const strings = parts.length;
  const text = strings === 1 ? parts[0]! : parts.join('\0');
  if (structure || holdsJson(text, strings)) return true;
  if (findSecretShapes(text).some((span) => span.kind !== null && !span.example)) return true;
  const found: SecretSpan[] = [];
  sealed.find(text, found);
  return found.length > 0;
}

/**
 * Whether one of the strings joined in `text` holds JSON (one at most MAX_NESTED_JSON long): read once
 * in the whole text for `":`, and only then string by string (keys and strings that held a "\0" are
 * read too: a yes too many).
 */
function holdsJson(text: string, strings: number): boolean {
  if (strings === 1)
    return text.length <= MAX_NESTED_JSON && text.includes('":') && embeddedJson(text) !== undefined;
  if (!text.includes('":')) return false;
  return text
    .split('\0')
    .some(
      (string) =>
        string.length <= MAX_NESTED_JSON && string.includes('":') && embeddedJson(string) !== undefined,
    );
}

/** A result's content blocks: its `content` array, if it has one. */
function contentOf(result: unknown): unknown {
  return result !== null && typeof result === 'object'
    ? (result as { content?: unknown }).content
    : undefined;
}

/**
 * Whether a string under `blob` is a resource's base64 contents, read as the text it encodes: in a
 * result, beside a `uri`, and not too long to decode.
 */
function isBlob(object: Record<string, unknown>, blob: string, shape: ScanShape): boolean {
  return shape.result === true && typeof object.uri === 'string' && blob.length <= MAX_DECODED;
}

/** An AWS key id among an object's values, beside a value shaped like its secret. */
function hasAwsPair(object: Record<string, unknown>): boolean {
  const values = Object.values(object).filter((value): value is string => typeof value === 'string');
  return values.some((value) => AWS_KEY_ID.test(value)) && values.some((value) => AWS_SECRET.test(value));
}

function scan(
  value: unknown,
  sealed: SealedValues,
  shape: ScanShape,
  depth: number,
): SecretScan & { secrets: FoundSecret[] } {
  const slots: Slot[] = [];
  const extra: Array<{ slot: Slot; span: SecretSpan }> = [];
  const nested: FoundSecret[] = [];
  const parts: string[] = [];
  let length = 0;
  const add = (slot: Omit<Slot, 'start'>): Slot => {
    const full = slot as Slot;
    full.start = length + 1;
    parts.push('\0', full.text);
    length += full.text.length + 1;
    slots.push(full);
    return full;
  };
  // JSON in a string without line breaks (a compact credentials file, an object in an error message)
  // is read as the value it is, for what only its shape shows; its secrets are then found in the string.
  const json = (text: string) => {
    if (depth >= MAX_NESTING || text.length > MAX_NESTED_JSON || !text.includes('":')) return;
    const parsed = embeddedJson(text);
    if (parsed !== undefined) nested.push(...scan(parsed, sealed, {}, depth + 1).secrets);
  };
  walk(value, shape, add, extra, json);
  // One string (a result's text, say) is read as it is, not copied behind a "\0".
  const lone = slots.length === 1 ? slots[0]! : undefined;
  if (lone) lone.start = 0;
  const text = lone ? lone.text : parts.join('');
  const spans = findSecretShapes(text);
  sealed.find(text, spans);
  return resultOf(value, text, slots, spans, extra, nested);
}

/** The JSON object or array a string holds (from its first `{` or `[` to its last `}` or `]`), if any. */
function embeddedJson(text: string): unknown {
  const start = text.search(/[{[]/);
  const end = Math.max(text.lastIndexOf('}'), text.lastIndexOf(']'));
  if (start === -1 || end <= start) return undefined;
  try {
    const parsed: unknown = JSON.parse(text.slice(start, end + 1));
    return parsed !== null && typeof parsed === 'object' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads a result: a CallToolResult, whose content blocks' images' and sounds' data is not read, a
 * ReadResourceResult or a GetPromptResult (all of whose text is read); a resource's blob is read as
 * the text it encodes.
 */
export function scanResult(result: unknown, sealed: SealedValues): SecretScan {
  return scanValue(result, sealed, { result: true });
}

// ---- The walk ------------------------------------------------------------------------------------

function walk(
  root: unknown,
  shape: ScanShape,
  add: (slot: Omit<Slot, 'start'>) => Slot,
  extra: Array<{ slot: Slot; span: SecretSpan }>,
  json: (text: string) => void,
): void {
  if (typeof root === 'string') {
    const holder: Node = { value: [root], parent: null, key: 0, depth: 0, lone: true };
    json(root);
    add({ node: holder, key: 0, isKey: false, text: root });
    return;
  }
  if (root === null || typeof root !== 'object') return;
  const stack: Node[] = [{ value: root as Node['value'], parent: null, key: '', depth: 0 }];
  // A result's `content` array holds its blocks (an image or sound there is not text).
  const blocks = shape.result === true ? contentOf(root) : undefined;
  const deeper = (node: Node, key: string | number, item: object) => {
    if (node.depth < MAX_DEPTH)
      stack.push({ value: item as Node['value'], parent: node, key, depth: node.depth + 1 });
  };
  const read = (node: Node, key: string | number, item: string, serviceAccount?: true): Slot => {
    json(item);
    return add({ node, key, isKey: false, text: item, ...(serviceAccount ? { serviceAccount } : {}) });
  };
  for (let budget = MAX_CONTAINERS; stack.length > 0 && budget > 0; budget--) {
    const node = stack.pop()!;
    const value = node.value;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        if (typeof item === 'string') {
          if (item.length >= MIN_SECRET_STRING) read(node, i, item);
        } else if (item !== null && typeof item === 'object') deeper(node, i, item);
      }
      continue;
    }
    const serviceAccount = value.type === 'service_account' ? (true as const) : undefined;
    // A result's image or sound block is not text (an object of that type elsewhere is read); a
    // resource's blob is the text it encodes.
    const media = isContentBlock(node, root, blocks) && (value.type === 'image' || value.type === 'audio');
    let valueSlots: Slot[] | undefined;
    for (const key of Object.keys(value)) {
      // A key as long as a token is read too (one can be a secret); a shorter one cannot hold a shape.
      if (key.length >= MIN_SECRET_KEY) add({ node, key, isKey: true, text: key });
      const item = value[key];
      if (typeof item === 'string') {
        if (item.length < MIN_SECRET_STRING || (media && key === 'data')) continue;
        let slot: Slot | undefined;
        if (key === 'blob' && isBlob(value, item, shape)) {
          const decoded = textOf(item);
          if (decoded !== undefined) slot = add({ node, key, isKey: false, text: decoded, base64: true });
        }
        slot ??= read(node, key, item, serviceAccount);
        (valueSlots ??= []).push(slot);
      } else if (item !== null && typeof item === 'object') deeper(node, key, item);
    }
    if (valueSlots && valueSlots.length >= 2) objectSpans(valueSlots, extra);
  }
}

/** Whether a container is one of a result's content blocks: an item of `blocks`, its top-level `content`. */
function isContentBlock(node: Node, root: unknown, blocks: unknown): boolean {
  const list = node.parent;
  return blocks !== undefined && list !== null && list.value === blocks && list.parent?.value === root;
}

/** Base64 that decodes to text (no NUL in its first 8 KiB, valid UTF-8), or undefined. */
function textOf(base64: string): string | undefined {
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.subarray(0, 8192).includes(0)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

const AWS_KEY_ID = /^A(?:KIA|SIA)[A-Z0-9]{16}$/;
const AWS_SECRET = /^[A-Za-z0-9+/]{40}$/;

/**
 * What only an object's shape shows: an AWS key id beside its secret, or a secret access key under its
 * name; two or more values under names that say they are credentials (an `env` object, a credentials
 * file as JSON). Spans cover the whole value.
 */
function objectSpans(slots: Slot[], extra: Array<{ slot: Slot; span: SecretSpan }>): void {
  const whole = (slot: Slot, kind: SecretKind) =>
    extra.push({ slot, span: { kind, start: 0, end: slot.text.length } });
  const keyId = slots.find((slot) => AWS_KEY_ID.test(slot.text));
  const secrets = slots.filter(
    (slot) => AWS_SECRET.test(slot.text) && /[A-Z]/.test(slot.text) && /[a-z]/.test(slot.text),
  );
  for (const secret of secrets) {
    const words = keyWords(String(secret.key));
    if (keyId || (words.includes('secret') && words.includes('access'))) {
      whole(secret, 'aws-credentials');
      if (keyId) whole(keyId, 'aws-credentials');
    }
  }
  const named = slots.filter((slot) => isSecretSetting(String(slot.key), slot.text));
  if (named.length >= 2) for (const slot of named) whole(slot, 'env-dump');
}

// ---- Findings and the masked copy ----------------------------------------------------------------

function resultOf(
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
