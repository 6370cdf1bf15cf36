// How a bridge is named in Gatehouse: light enough for the CLI's help to read without loading the
// bridge itself (and the SDK client behind its authorization).

/** The bridge's name when `--name` is not given: the client it is for. */
export const DEFAULT_BRIDGE_NAME = 'Claude Desktop';

/** The client name Gatehouse shows: "Claude Desktop (via gatehouse bridge)". */
export function clientNameFor(name: string): string {
  return `${name} (via gatehouse bridge)`;
}
