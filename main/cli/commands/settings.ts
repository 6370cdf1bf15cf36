// `gatehouse settings get|set`: the user's preferences. Values typed on the command line are turned
// into the type the contract's schema wants (number, true/false, one of a set) and checked against
// the same schema before they are sent, so a mistake is explained here rather than by the engine.
import { settingsPatch, type SettingsPatch, type SettingsView } from '../../core/api/contract.js';
import { UsageError, type Command, type CommandGroup } from '../command-context/command.js';
import { table } from '../output/table.js';

type SettableKey = keyof typeof settingsPatch.shape;

const settableKeys = Object.keys(settingsPatch.shape) as SettableKey[];
/** `paused` is a setting one can read, but it changes only through `gatehouse pause` and `resume`. */
const readableKeys: Array<keyof SettingsView> = [...settableKeys, 'paused'];

const get: Command = {
  words: ['settings', 'get'],
  args: ['[KEY]'],
  json: true,
  summary: 'Show every setting, or the value of one',
  async run(context) {
    const key = context.args[0] === undefined ? undefined : readableKey(context.args[0]);
    const settings = await context.engine().call('settings.get', {});
    if (key !== undefined) {
      const value = settings[key];
      return context.json ? context.printJson(value) : context.print(String(value));
    }
    if (context.json) return context.printJson(settings);
    context.print(
      ...table(
        ['setting', 'value'],
        readableKeys.map((name) => [name, String(settings[name])]),
      ),
    );
  },
};

const set: Command = {
  words: ['settings', 'set'],
  args: ['KEY', 'VALUE'],
  json: true,
  summary: 'Change one setting',
  async run(context) {
    const key = readableKey(context.args[0]!);
    if (key === 'paused') {
      throw new UsageError(
        'paused is changed with `gatehouse pause` and `gatehouse resume`, not settings set.',
      );
    }
    const patch = settingPatch(key, context.args[1]!);
    const settings = await context.engine().call('settings.set', patch);
    if (context.json) return context.printJson(settings);
    context.print(`${key} is now ${String(settings[key])}.`);
    if (key === 'port') {
      const status = await context.engine().call('status.get', {});
      context.print(
        status.portFromCommandLine === true
          ? `This run listens on port ${new URL(status.mcpUrl).port}, as --port asked; the setting applies when Gatehouse starts without --port (then point your clients at http://127.0.0.1:${settings.port}/mcp).`
          : `The new port takes effect when Gatehouse restarts; then point your clients at http://127.0.0.1:${settings.port}/mcp.`,
      );
    }
  },
};

/** Accepts the contract's names (accessCeiling) and their kebab-case spelling (access-ceiling). */
function readableKey(name: string): keyof SettingsView {
  const camel = name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
  const key = readableKeys.find((candidate) => candidate === camel);
  if (!key) throw new UsageError(`There is no setting "${name}". Settings are: ${readableKeys.join(', ')}.`);
  return key;
}

/** The typed, validated patch for `key = text`. */
function settingPatch(key: SettableKey, text: string): SettingsPatch {
  const schema = settingsPatch.shape[key].unwrap();
  let value: unknown;
  switch (schema.def.type) {
    case 'number':
      if (!/^-?\d+$/.test(text.trim())) throw new UsageError(`${key} takes a whole number (got "${text}").`);
      value = Number(text);
      break;
    case 'boolean': {
      const word = text.trim().toLowerCase();
      if (['true', 'yes', 'on', '1'].includes(word)) value = true;
      else if (['false', 'no', 'off', '0'].includes(word)) value = false;
      else throw new UsageError(`${key} takes true or false (got "${text}").`);
      break;
    }
    case 'enum': {
      const choices = (schema as { options: readonly string[] }).options;
      if (!choices.includes(text))
        throw new UsageError(`${key} takes one of ${choices.join(', ')} (got "${text}").`);
      value = text;
      break;
    }
    default:
      value = text;
  }
  const parsed = settingsPatch.safeParse({ [key]: value });
  if (!parsed.success) {
    throw new UsageError(
      `Cannot set ${key} to ${text}: ${parsed.error.issues.map((issue) => issue.message).join('; ')}.`,
    );
  }
  return parsed.data;
}

/** `gatehouse settings get / set`: the user's preferences, checked against the contract first. */
export const settingsGroup: CommandGroup = {
  name: 'settings',
  summary: 'your preferences: port, access ceiling, new-client registration, lifetimes',
  commands: [get, set],
  defaultCommand: 'get',
};
