// Tool pinning: what the user saw of a tool, as a stable fingerprint, and what changed since. A tool
// whose description or input schema changes upstream after the user saw it is held until the user
// reviews the change (docs/security-model.md, "Tools that change") — the description and the schema are what the model reads,
// so a changed one is a changed instruction ("tool poisoning", "rug pull").
//
// The fingerprint covers name, description and inputSchema only:
// - name identifies the tool (a renamed tool is a new tool, seen for the first time);
// - description and inputSchema (including the descriptions inside it) are the text the model acts on;
// - title is display text, and annotations are hints that feed the read/write class (tool-class.ts),
//   which the user sees and can override on the Tools page. Pinning them would hold tools over
//   cosmetic edits. outputSchema and _meta do not instruct the model about what to send.
import { createHash } from 'node:crypto';
import type { Tool } from '@modelcontextprotocol/client';

/** The part of a tool that is pinned. `description` absent and empty are the same thing. */
export interface PinnedToolDefinition {
  name: string;
  description: string;
  inputSchema: Tool['inputSchema'];
}

/** One property of a tool's arguments that changed between the pinned and the current input schema. */
export interface SchemaChange {
  /** Property path in the arguments: `path`, `options.mode`, `items[].name`, or `(root)`. */
  path: string;
  change: 'added' | 'removed' | 'changed';
  /** For `changed`: which schema keywords changed ("type, description", "now required"). */
  detail?: string;
}

/** What changed in a pinned tool, for the review the user must do before it is released. */
export interface ToolDefinitionChange {
  tool: string;
  changed: Array<'description' | 'inputSchema'>;
  description?: { before: string; after: string };
  inputSchema?: {
    before: Tool['inputSchema'];
    after: Tool['inputSchema'];
    diff: SchemaChange[];
    /** The diff as lines for display: "+ options.mode", "- path", "~ query (type, description)". */
    lines: string[];
  };
  fingerprintBefore: string;
  fingerprintAfter: string;
}

/** How deep the schema diff walks and how many lines it reports; beyond these it summarises. */
const MAX_DIFF_DEPTH = 32;
const MAX_DIFF_LINES = 100;

/** The part of a tool that is pinned, as stored when the user sees it. */
export function pinnedDefinition(
  tool: Pick<Tool, 'name' | 'description' | 'inputSchema'>,
): PinnedToolDefinition {
  return { name: tool.name, description: tool.description ?? '', inputSchema: tool.inputSchema };
}

/** sha256 (hex) of the canonical JSON of the tool's name, description and inputSchema. */
export function toolFingerprint(tool: Pick<Tool, 'name' | 'description' | 'inputSchema'>): string {
  return createHash('sha256')
    .update(canonicalJson(pinnedDefinition(tool)), 'utf8')
    .digest('hex');
}

/**
 * sha256 (hex) of the canonical JSON of a whole definition (every field, not only the pinned ones): what
 * the user read of a held one, which an answer names so that it answers that definition and no other.
 */
export function definitionHash(definition: object): string {
  return createHash('sha256').update(canonicalJson(definition), 'utf8').digest('hex');
}

/**
 * JSON with object keys sorted (by UTF-16 code unit, as Array#sort does) at every level, so equal
 * data gives equal text whatever order an upstream sends keys in. Written with an explicit stack:
 * a hostile upstream may send a schema nested deeper than the call stack.
 */
export function canonicalJson(value: unknown): string {
  type Frame = { text: string } | { value: unknown; inArray: boolean } | { leave: object };
  const out: string[] = [];
  const open = new Set<object>();
  const stack: Frame[] = [{ value, inArray: true }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    if ('text' in frame) {
      out.push(frame.text);
      continue;
    }
    if ('leave' in frame) {
      open.delete(frame.leave);
      continue;
    }
    const current = frame.value;
    if (current === null || typeof current === 'boolean' || typeof current === 'string') {
      out.push(JSON.stringify(current));
    } else if (typeof current === 'number') {
      out.push(Number.isFinite(current) ? JSON.stringify(current) : 'null');
    } else if (typeof current === 'bigint') {
      out.push(current.toString());
    } else if (typeof current !== 'object') {
      // undefined, functions and symbols: JSON drops them from objects (filtered below), nulls them in arrays.
      out.push('null');
    } else {
      if (open.has(current)) throw new TypeError('canonicalJson: the value contains a cycle');
      open.add(current);
      stack.push({ leave: current });
      if (Array.isArray(current)) {
        stack.push({ text: ']' });
        for (let i = current.length - 1; i >= 0; i--) {
          stack.push({ value: current[i], inArray: true });
          if (i > 0) stack.push({ text: ',' });
        }
        stack.push({ text: '[' });
      } else {
        const record = current as Record<string, unknown>;
        const keys = Object.keys(record)
          .filter((key) => isJsonValue(record[key]))
          .sort();
        stack.push({ text: '}' });
        for (let i = keys.length - 1; i >= 0; i--) {
          const key = keys[i]!;
          stack.push({ value: record[key], inArray: false });
          stack.push({ text: `${i > 0 ? ',' : ''}${JSON.stringify(key)}:` });
        }
        stack.push({ text: '{' });
      }
    }
  }
  return out.join('');
}

function isJsonValue(value: unknown): boolean {
  return value !== undefined && typeof value !== 'function' && typeof value !== 'symbol';
}

/**
 * Compares what the user saw (pinned) with what the upstream now sends for the same tool. Returns
 * null when nothing pinned changed, or what changed with before/after values for the review screen.
 */
export function compareToolDefinitions(
  pinned: PinnedToolDefinition,
  current: Pick<Tool, 'name' | 'description' | 'inputSchema'>,
): ToolDefinitionChange | null {
  const now = pinnedDefinition(current);
  const fingerprintBefore = toolFingerprint(pinned);
  const fingerprintAfter = toolFingerprint(now);
  if (fingerprintBefore === fingerprintAfter) return null;

  const result: ToolDefinitionChange = {
    tool: current.name,
    changed: [],
    fingerprintBefore,
    fingerprintAfter,
  };
  if (pinned.description !== now.description) {
    result.changed.push('description');
    result.description = { before: pinned.description, after: now.description };
  }
  if (canonicalJson(pinned.inputSchema) !== canonicalJson(now.inputSchema)) {
    const diff = diffSchemas(pinned.inputSchema, now.inputSchema);
    result.changed.push('inputSchema');
    result.inputSchema = {
      before: pinned.inputSchema,
      after: now.inputSchema,
      diff,
      lines: schemaDiffLines(diff),
    };
  }
  // Only a name difference is left: the caller compared two different tools.
  if (result.changed.length === 0) {
    throw new TypeError(`compareToolDefinitions: "${pinned.name}" and "${current.name}" are different tools`);
  }
  return result;
}

/** A part of a tool the pin leaves out (title, annotations, outputSchema, _meta, …) that changed. */
export interface UnpinnedChange {
  part: string;
  /** The part's value before and now; undefined where the definition has none. */
  before: unknown;
  after: unknown;
}

/**
 * The parts outside the pin (every field but name, description and inputSchema) that differ between
 * what the user saw and a changed definition, by name: accepting the change accepts these too, so its
 * review shows them.
 */
export function unpinnedChanges(pinned: Tool, current: Tool): UnpinnedChange[] {
  const parts = new Set([...Object.keys(pinned), ...Object.keys(current)]);
  for (const part of ['name', 'description', 'inputSchema']) parts.delete(part);
  const fields = (tool: Tool) => tool as unknown as Record<string, unknown>;
  return [...parts]
    .sort()
    .filter(
      (part) => canonicalJson(fields(pinned)[part] ?? null) !== canonicalJson(fields(current)[part] ?? null),
    )
    .map((part) => ({ part, before: fields(pinned)[part], after: fields(current)[part] }));
}

/**
 * A compact diff of two JSON Schemas, by argument property path: properties added or removed,
 * and properties whose own keywords changed (type, description, enum, default, required…).
 * Walks `properties` and `items`; other nested keywords are reported as a change of their owner.
 * @internal Exported for its tests only: each kind of schema change, checked without a held tool.
 */
export function diffSchemas(before: unknown, after: unknown): SchemaChange[] {
  const changes: SchemaChange[] = [];
  walk(before, after, '', 0, changes);
  return changes;
}

/**
 * The diff as display lines, capped at 100 with a final "… and N more changes".
 * @internal Exported for its tests only: each kind of schema change, checked without a held tool.
 */
export function schemaDiffLines(changes: readonly SchemaChange[]): string[] {
  const mark = { added: '+', removed: '-', changed: '~' } as const;
  const lines = changes
    .slice(0, MAX_DIFF_LINES)
    .map((c) => `${mark[c.change]} ${c.path}${c.detail !== undefined ? ` (${c.detail})` : ''}`);
  if (changes.length > MAX_DIFF_LINES) lines.push(`… and ${changes.length - MAX_DIFF_LINES} more changes`);
  return lines;
}

const STRUCTURAL = new Set(['properties', 'items', 'required']);

function walk(before: unknown, after: unknown, path: string, depth: number, out: SchemaChange[]): void {
  const label = path === '' ? '(root)' : path;
  if (!isRecord(before) || !isRecord(after) || depth >= MAX_DIFF_DEPTH) {
    if (canonicalJson(before) !== canonicalJson(after)) out.push({ path: label, change: 'changed' });
    return;
  }
  const keywords = [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((key) => !STRUCTURAL.has(key) && canonicalJson(before[key]) !== canonicalJson(after[key]))
    .sort();
  const itemsChanged = canonicalJson(before.items) !== canonicalJson(after.items);
  const itemsWalkable = isRecord(before.items) && isRecord(after.items);
  if (itemsChanged && !itemsWalkable) keywords.push('items');
  if (keywords.length > 0) out.push({ path: label, change: 'changed', detail: keywords.join(', ') });

  const beforeProps = isRecord(before.properties) ? before.properties : {};
  const afterProps = isRecord(after.properties) ? after.properties : {};
  const beforeRequired = requiredSet(before.required);
  const afterRequired = requiredSet(after.required);
  const names = [...new Set([...Object.keys(beforeProps), ...Object.keys(afterProps)])].sort();
  for (const name of names) {
    const childPath = propertyPath(path, name);
    const had = Object.hasOwn(beforeProps, name);
    const has = Object.hasOwn(afterProps, name);
    if (!had) {
      out.push(
        afterRequired.has(name)
          ? { path: childPath, change: 'added', detail: 'required' }
          : { path: childPath, change: 'added' },
      );
      continue;
    }
    if (!has) {
      out.push({ path: childPath, change: 'removed' });
      continue;
    }
    if (beforeRequired.has(name) !== afterRequired.has(name)) {
      out.push({
        path: childPath,
        change: 'changed',
        detail: afterRequired.has(name) ? 'now required' : 'no longer required',
      });
    }
    walk(beforeProps[name], afterProps[name], childPath, depth + 1, out);
  }
  // Names listed as required without a property schema still change what a client must send.
  for (const name of [...afterRequired]
    .filter((n) => !beforeRequired.has(n) && !Object.hasOwn(afterProps, n))
    .sort()) {
    out.push({ path: propertyPath(path, name), change: 'changed', detail: 'now required' });
  }
  for (const name of [...beforeRequired]
    .filter((n) => !afterRequired.has(n) && !Object.hasOwn(beforeProps, n))
    .sort()) {
    out.push({ path: propertyPath(path, name), change: 'changed', detail: 'no longer required' });
  }
  if (itemsChanged && itemsWalkable) walk(before.items, after.items, `${path}[]`, depth + 1, out);
}

function propertyPath(parent: string, name: string): string {
  const segment = /^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(name) ? name : `[${JSON.stringify(name)}]`;
  if (parent === '') return segment;
  return segment.startsWith('[') ? `${parent}${segment}` : `${parent}.${segment}`;
}

function requiredSet(value: unknown): Set<string> {
  return new Set(Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
