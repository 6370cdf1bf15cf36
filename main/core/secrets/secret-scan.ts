// A tool call's arguments or result read for secret material at any depth: every string and key,
// joined into one text and scanned once for shapes (secret-shapes.ts) and sealed values
// (sealed-values.ts), plus what only the structure shows (an AWS key id beside its secret, a Google
// service account's object, several credentials under names that say so). Findings name the kind and
// the field path, never the value; the masked copy replaces each secret with its kind's marker.
// The findings and the masked copy are made in secret-masking.ts.
import type { SecretKind } from '../api/secret-findings.js';
import { MIN_SEALED_LENGTH, type SealedValues } from './sealed-values.js';
import { keyWords, namesCredential } from './secret-names.js';
import { findSecretShapes, isSecretSetting, type SecretSpan } from './secret-shapes.js';
import { type FoundSecret, type Node, resultOf, type SecretScan, type Slot } from './secret-masking.js';

export type { SecretScan };

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
