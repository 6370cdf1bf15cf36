// The roots of a connection itself. A server may ask its client for roots as it starts (server-pdf
// and server-filesystem do, in the 2025-era `oninitialized`), before any client's call could say
// whose they are; some servers then keep only what the answer names (server-pdf clears its allowed
// folders on an empty list). So the answer is what the user gave the server to work in.
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import type { ConnectorSettings } from '../api/connector-config.js';
import { foldersGiven, type SandboxPlace } from './sandbox-profile.js';

/** One root as MCP's roots/list result carries it (a file:// URI and a name for people). */
export interface Root {
  uri: string;
  name: string;
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
