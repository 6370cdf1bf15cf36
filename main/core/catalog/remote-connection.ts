// Turns one remote of a server.json into the settings of an HTTP connector: its transport (Streamable
// HTTP or SSE), its URL with `{variables}` filled, and its headers — every header value is stored
// encrypted like any connector header. Whether it signs in with OAuth is the user's choice: a
// server.json does not say, and a connector set to OAuth waits for a sign-in even when none is needed.
import type { CatalogInputView, CatalogRisk } from '../api/catalog-contract.js';
import type { HttpSettings } from '../api/connector-config.js';
import { fillTemplate, inputsOf, inputView, keyValuePiece, templateNames } from './catalog-inputs.js';
import type { InputValues } from './catalog-inputs.js';
import { hiddenCharacterProblem } from './package-command.js';
import { remoteRisk } from './runtime-risks.js';
import type { ServerRemote } from './server-json.js';

/** What a remote becomes, or why it cannot. */
export interface RemotePlan {
  label: string;
  problem: string | null;
  inputs: CatalogInputView[];
  preview: string;
  risks: CatalogRisk[];
  /** The connector's settings from checked values; throws a sentence when the URL comes out wrong. */
  settings(values: InputValues, auth: 'none' | 'oauth'): HttpSettings;
}

const TRANSPORT_WORDS = { 'streamable-http': 'Streamable HTTP', sse: 'SSE' } as const;

/** The plan for one remote of a server.json. */
export function remotePlan(remote: ServerRemote): RemotePlan {
  const variables = remote.variables ?? {};
  const names = templateNames(remote.url).filter((name) => Object.hasOwn(variables, name));
  // A URL cannot leave a variable out: each is required (a default answers it).
  const urlInputs = names.map((name) =>
    inputView(`variable:${name}`, 'variable', name, variables[name]!, { required: true }),
  );
  const headers = (remote.headers ?? []).map((header) => ({
    name: header.name,
    piece: keyValuePiece(header, 'header'),
  }));
  const known = new Set(names);
  const urlOf = (valueOf: (name: string) => string | undefined) => fillTemplate(remote.url, known, valueOf);
  // With every variable filled by a sample value, the URL must be one an HTTP connector can reach.
  const sample = urlOf(() => 'x');
  // A secret in the host name is no secret: every name lookup and TLS handshake sends it in clear.
  const secretInHost = urlInputs.filter((input) => {
    if (!input.secret) return false;
    const marked = urlOf((name) => (name === input.name ? 'gatehouse-secret-marker' : 'x'));
    return (
      marked !== null && URL.canParse(marked) && new URL(marked).hostname.includes('gatehouse-secret-marker')
    );
  });
  const problem =
    sample === null || !/^https?:\/\//i.test(sample) || !URL.canParse(sample)
      ? `The remote's URL "${remote.url}" is not an http(s) URL.`
      : (hiddenCharacterProblem(remote) ??
        (secretInHost.length > 0
          ? `The remote puts the secret ${secretInHost.map((input) => input.name).join(', ')} in its host name, where every name lookup shows it; Gatehouse will not add it.`
          : null));
  const risk = sample === null ? null : remoteRisk(sample);
  return {
    label: `Remote server (${TRANSPORT_WORDS[remote.type]})`,
    problem,
    inputs: inputsOf([
      { inputs: urlInputs, secret: false, render: () => null, preview: [] },
      ...headers.map((header) => header.piece),
    ]),
    preview: remote.url,
    risks: risk === null ? [] : [{ ...risk, setting: remote.url }],
    settings(values, auth) {
      const url = urlOf((name) => values.get(`variable:${name}`)?.[0]);
      if (url === null || !/^https?:\/\//i.test(url) || !URL.canParse(url)) {
        throw new Error(
          `With your values the server's URL is ${url === null ? 'incomplete' : `"${url}"`}, which is not an http(s) URL.`,
        );
      }
      const headerValues: Record<string, string> = {};
      for (const { name, piece } of headers) {
        const value = piece.render(values)?.[0];
        if (value !== undefined) headerValues[name] = value;
      }
      return {
        kind: 'http',
        url,
        transport: remote.type,
        timeoutSeconds: 30,
        headers: headerValues,
        // A secret URL variable makes the whole URL a secret, sealed like every other.
        ...(urlInputs.some((input) => input.secret && values.has(input.id)) ? { secretUrl: true } : {}),
        auth:
          auth === 'oauth'
            ? {
                type: 'oauth',
                clientId: null,
                clientSecret: null,
                authorizeUrl: null,
                tokenUrl: null,
                scopes: null,
              }
            : { type: 'none' },
      };
    },
  };
}
