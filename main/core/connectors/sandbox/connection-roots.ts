// The roots of a connection itself. A server may ask its client for roots as it starts (server-pdf
// and server-filesystem do, in the 2025-era `oninitialized`), before any client's call could say
// whose they are; some servers then keep only what the answer names (server-pdf clears its allowed
// folders on an empty list). So the answer is what the user gave the server to work in.
import { statSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { sandboxOf, type ConnectorSettings, type StdioSettings } from '../../api/connector-config.js';
import { pathIn } from './grant-proposals.js';
import { expandGrant } from './sandbox-grants.js';
import type { SandboxPlace } from './sandbox-profile.js';

/** One root as MCP's roots/list result carries it (a file:// URI and a name for people). */
export interface Root {
  uri: string;
  name: string;
}

const isDirectory = (folder: string) => {
  try {
    return statSync(folder).isDirectory();
  } catch {
    return false;
  }
};

/**
 * Every existing folder the user gave a server: the ones its command line names (a system folder or
 * the whole home folder included: it may read them, only not write) and the ones granted to its
 * sandbox to write or read. What it would work in by itself, so what Gatehouse answers as its roots.
 */
function foldersGiven(settings: StdioSettings, place: SandboxPlace, cwd: string): string[] {
  const named = settings.args.map((word) => pathIn(word, place.home, cwd)).filter((p) => p !== null);
  const { folders, readFolders } = sandboxOf(settings);
  const granted = [...folders, ...readFolders].map((grant) => expandGrant(grant, place.home));
  return [...new Set([...named, ...granted])].filter(isDirectory);
}

/**
 * The roots Gatehouse answers for a connector's connection when no client's call is in flight: for a
 * local server, every folder the user gave it (its command line and its workspace) as file:// URIs;
 * for a remote server none, since no folder of this machine is its to work in.
 */
export function connectionRoots(settings: ConnectorSettings | undefined, place: SandboxPlace): Root[] {
  if (settings?.kind !== 'stdio') return [];
  return foldersGiven(settings, place, settings.cwd ?? process.cwd()).map((folder) => ({
    uri: pathToFileURL(folder).href,
    name: path.basename(folder) || folder,
  }));
}
