// Turns one package of a server.json into the command of a stdio connector, pinned to the published
// version: npm → `npx -y <pkg>@<version>`, PyPI → `uvx <pkg>==<version>`, OCI → `docker run -i --rm …
// <image>`. Runtime arguments go to the runner, package arguments to the server, environment variables
// to the connector's (encrypted) environment — for Docker, secrets are passed into the container by
// name with `-e NAME` (never on a command line) and the rest as `-e NAME=value`, so no value the entry
// fixes reaches the docker CLI's own environment. Everything that would run is shown (source, command
// line, environment values) with the settings that change a runtime's behaviour flagged
// (runtime-risks.ts). A package Gatehouse cannot run says why.
import type {
  CatalogEnvironmentView,
  CatalogInputView,
  CatalogOptionKind,
  CatalogRisk,
} from '../api/catalog-contract.js';
import {
  argumentPiece,
  inputsOf,
  keyValuePiece,
  type InputPiece,
  type InputValues,
} from './catalog-inputs.js';
import { SEALED_ARGUMENT_PREFIX, type StdioSettings } from '../api/connector-config.js';
import { hiddenCharacters } from '../visible-text.js';
import { runtimeArgumentRisks, sourceRisk, variableRisk } from './runtime-risks.js';
import type { Argument, KeyValueInput, ServerPackage } from './server-json.js';

/** What a package becomes, or why it cannot. */
export interface PackagePlan {
  kind: CatalogOptionKind;
  /** The command on this machine that runs it: npx, uvx or docker; null for a kind Gatehouse cannot run. */
  runtime: string | null;
  label: string;
  problem: string | null;
  inputs: CatalogInputView[];
  preview: string;
  /** Where the code comes from. */
  source: string;
  environment: CatalogEnvironmentView[];
  risks: CatalogRisk[];
  /** What the entry fixes of the command line and environment (the user's answers aside). */
  fixed: { args: string[]; env: Record<string, string> };
  /** The connector's settings from checked values (only when `problem` is null). */
  settings(values: InputValues): StdioSettings;
}

/** What to install when a runtime is missing, in one sentence. */
export const RUNTIME_INSTALL_HINT: Record<string, string> = {
  npx: 'Install Node.js (it brings npx) from https://nodejs.org',
  uvx: 'Install uv (it brings uvx) from https://docs.astral.sh/uv/',
  docker: 'Install Docker (Docker Desktop, or Docker Engine on Linux) and start it',
};

const NPM_REGISTRY = 'https://registry.npmjs.org';
const PYPI_REGISTRY = 'https://pypi.org';
const NPM_NAME = /^(@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/i;
const PYPI_NAME = /^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/;
const OCI_REFERENCE = /^[a-z0-9][a-z0-9._/:@+-]*$/i;
/** A pinned version: no ranges, no spaces, nothing that reads as a flag. */
const PINNED_VERSION = /^[0-9A-Za-z][0-9A-Za-z.!+_-]*$/;
const DOCKER_ENV_FLAGS = new Set(['-e', '--env']);

interface Runner {
  kind: CatalogOptionKind;
  runtime: string;
  label: string;
  /** Why the identifier or version cannot be run pinned, or null. */
  problem: string | null;
  /** The words that name the package: `@scope/pkg@1.2.0`, `pkg==1.2.0`, an image reference. */
  target: string;
}

/** A package of a language registry, run by name and exact version (`name@1.2.0`, `name==1.2.0`). */
function namedPackage(
  pkg: ServerPackage,
  kind: 'npm' | 'pypi',
  ecosystem: { runtime: string; label: string; name: RegExp; pin: string },
): Runner {
  const { identifier, version } = pkg;
  const problem = !ecosystem.name.test(identifier)
    ? `"${identifier}" is not ${ecosystem.label === 'npm' ? 'an' : 'a'} ${ecosystem.label} package name.`
    : version === undefined
      ? `The registry gives no version for ${identifier}, so Gatehouse cannot pin what would run.`
      : !PINNED_VERSION.test(version)
        ? `The version "${version}" of ${identifier} is not a single published version.`
        : null;
  return {
    kind,
    runtime: ecosystem.runtime,
    label: `${ecosystem.label} package ${identifier}${version ? ` ${version}` : ''}`,
    problem,
    target: `${identifier}${ecosystem.pin}${version}`,
  };
}

function runner(pkg: ServerPackage): Runner | null {
  const { identifier } = pkg;
  switch (pkg.registryType) {
    case 'npm':
      return namedPackage(pkg, 'npm', { runtime: 'npx', label: 'npm', name: NPM_NAME, pin: '@' });
    case 'pypi':
      return namedPackage(pkg, 'pypi', { runtime: 'uvx', label: 'PyPI', name: PYPI_NAME, pin: '==' });
    case 'oci': {
      const image = imageReference(pkg);
      return {
        kind: 'oci',
        runtime: 'docker',
        label: `Docker image ${image ?? identifier}`,
        problem: !OCI_REFERENCE.test(identifier)
          ? `"${identifier}" is not an image reference.`
          : image === null
            ? `The image ${identifier} has no tag or digest, so Gatehouse cannot pin what would run.`
            : null,
        target: image ?? identifier,
      };
    }
    default:
      return null;
  }
}

/**
 * The image to run: the identifier as published (`registry/namespace/repository:tag` or `@digest`),
 * or, in the older form, the identifier with the package version as its tag and the registry's host.
 */
function imageReference(pkg: ServerPackage): string | null {
  const { identifier, version } = pkg;
  const lastSegment = identifier.slice(identifier.lastIndexOf('/') + 1);
  let image = identifier;
  if (!lastSegment.includes(':') && !identifier.includes('@')) {
    if (version === undefined || !PINNED_VERSION.test(version)) return null;
    image = `${identifier}:${version}`;
  }
  const firstSegment = identifier.split('/')[0] ?? '';
  const hasHost = identifier.includes('/') && /[.:]/.test(firstSegment);
  const base = pkg.registryBaseUrl && URL.canParse(pkg.registryBaseUrl) ? new URL(pkg.registryBaseUrl) : null;
  if (!hasHost && base && !/(^|\.)docker\.io$/.test(base.hostname)) image = `${base.host}/${image}`;
  return image;
}

/** Docker's `-e NAME=value` becomes an environment variable of the connector, passed with `-e NAME`. */
function dockerEnvironment(argument: Argument): KeyValueInput | null {
  if (argument.type !== 'named' || !DOCKER_ENV_FLAGS.has(argument.name) || argument.value === undefined) {
    return null;
  }
  const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(argument.value);
  if (!match) return null;
  const { name: _flag, type: _type, isRepeated: _repeated, ...input } = argument;
  return { ...input, name: match[1]!, value: match[2]! };
}

function unsupported(pkg: ServerPackage): PackagePlan {
  return {
    kind: 'other',
    runtime: null,
    label: `${pkg.registryType} package ${pkg.identifier}${pkg.version ? ` ${pkg.version}` : ''}`,
    problem: `Gatehouse can add npm, PyPI and Docker (OCI) packages and remote servers; this is a ${pkg.registryType} package.`,
    inputs: [],
    preview: pkg.identifier,
    source: `${pkg.registryType} package ${pkg.identifier}`,
    environment: [],
    risks: [],
    fixed: { args: [], env: {} },
    settings: () => {
      throw new Error('no settings for an unsupported package');
    },
  };
}

/**
 * Environment names the docker CLI itself (or the loader, or Go's runtime under it) reads: a container
 * variable passed by name with `-e NAME` sits in the CLI's own environment, so a secret of this name
 * would change how docker runs. Non-secret values travel as `-e NAME=value` and never meet the CLI.
 */
const DOCKER_CLI_VARIABLES =
  /^(DOCKER_|LD_|DYLD_|GO|XDG_|SSL_CERT_|PATH$|HOME$|TMPDIR$|(HTTPS?|ALL|NO)_PROXY$)/i;

/** Every string of the package that becomes part of what runs (descriptions and placeholders aside). */
function runnableStrings(value: unknown, key = ''): string[] {
  if (typeof value === 'string') return key === 'description' || key === 'placeholder' ? [] : [value];
  if (Array.isArray(value)) return value.flatMap((item) => runnableStrings(item, key));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([name, item]) => [name, ...runnableStrings(item, name)]);
  }
  return [];
}

/** Why a package or remote whose values carry hidden characters is not run, or null when none do. */
export function hiddenCharacterProblem(source: unknown): string | null {
  const found = [...new Set(runnableStrings(source).flatMap(hiddenCharacters))];
  if (found.length === 0) return null;
  return `What it would run contains characters you cannot see (${found.slice(0, 5).join(', ')}), which can hide what it does; Gatehouse will not run it.`;
}

/** The plan for one package of a server.json. */
export function packagePlan(pkg: ServerPackage): PackagePlan {
  const run = runner(pkg);
  if (run === null) return unsupported(pkg);
  const runtimeArguments = pkg.runtimeArguments ?? [];
  const dockerEnv =
    run.kind === 'oci' ? runtimeArguments.map(dockerEnvironment) : runtimeArguments.map(() => null);
  const runtimePieces = runtimeArguments.flatMap((argument, at) =>
    dockerEnv[at] ? [] : [sealedArgument(argument, argumentPiece(argument, at + 1))],
  );
  const packagePieces = (pkg.packageArguments ?? []).map((argument, at) =>
    sealedArgument(argument, argumentPiece(argument, at + 1)),
  );
  const environment = [
    ...(pkg.environmentVariables ?? []),
    ...dockerEnv.filter((entry): entry is KeyValueInput => entry !== null),
  ].map((entry) => ({ name: entry.name, entry, piece: keyValuePiece(entry, 'environment') }));
  const pieces = [...runtimePieces, ...packagePieces, ...environment.map((entry) => entry.piece)];
  // Docker: a secret travels by name (`-e NAME`, its value in the docker CLI's environment), the rest
  // as `-e NAME=value` on the command line, where it is shown and never reaches the CLI itself.
  const dockerCliSecrets =
    run.kind === 'oci'
      ? environment.filter((entry) => entry.piece.secret && DOCKER_CLI_VARIABLES.test(entry.name))
      : [];

  const transport = pkg.transport?.type ?? 'stdio';
  const problem =
    run.problem ??
    hiddenCharacterProblem(pkg) ??
    (transport !== 'stdio'
      ? `This package runs its own ${transport === 'sse' ? 'SSE' : 'Streamable HTTP'} server on this machine; Gatehouse can start only packages that speak stdio.`
      : dockerCliSecrets.length > 0
        ? `This image takes the secret ${dockerCliSecrets.map((entry) => entry.name).join(', ')}, which would also change how the docker command itself runs; Gatehouse will not pass it.`
        : null);

  // A package from another registry is fetched from there, as its source says (and its risk flags).
  const base = pkg.registryBaseUrl?.replace(/\/+$/, '');
  const registryWords =
    run.kind === 'npm' && base && base !== NPM_REGISTRY
      ? ['--registry', pkg.registryBaseUrl!]
      : run.kind === 'pypi' && base && base !== PYPI_REGISTRY
        ? ['--index-url', pkg.registryBaseUrl!]
        : [];
  const commandLine = (
    words: (piece: ArgumentPiece) => string[] | null,
    dockerEnvWords: string[],
  ): string[] => {
    const runtimeWords = runtimePieces.flatMap((piece) => words(piece) ?? []);
    const packageWords = packagePieces.flatMap((piece) => words(piece) ?? []);
    switch (run.kind) {
      case 'npm':
        return ['-y', ...registryWords, ...runtimeWords, run.target, ...packageWords];
      case 'pypi':
        return [...registryWords, ...runtimeWords, run.target, ...packageWords];
      default:
        return ['run', '-i', '--rm', ...runtimeWords, ...dockerEnvWords, run.target, ...packageWords];
    }
  };
  const dockerEnvPreview = environment.flatMap(({ name, piece }) =>
    piece.secret ? ['-e', name] : ['-e', `${name}=${piece.preview[0] ?? ''}`],
  );
  const runtimePreview = runtimePieces.flatMap((piece) => piece.preview);
  const usual = run.kind === 'npm' ? NPM_REGISTRY : run.kind === 'pypi' ? PYPI_REGISTRY : null;
  const risks = [
    ...(usual !== null ? [sourceRisk(pkg.registryBaseUrl, usual)] : []),
    ...runtimeArgumentRisks(run.kind as 'npm' | 'pypi' | 'oci', runtimePreview, {
      identifier: pkg.identifier,
      version: pkg.version,
    }),
    ...environment.map(({ name, entry }) => variableRisk(name, entry.value ?? null)),
  ].filter((risk): risk is CatalogRisk => risk !== null);

  return {
    kind: run.kind,
    runtime: run.runtime,
    label: run.label,
    problem,
    inputs: inputsOf(pieces),
    preview: [run.runtime, ...commandLine((piece) => piece.preview, dockerEnvPreview)].join(' '),
    source: sourceText(run, pkg),
    environment: [
      ...environment.map(({ name, entry, piece }) => ({
        name,
        value: entry.value ?? null,
        secret: piece.secret,
      })),
      ...[...runtimePieces, ...packagePieces]
        .filter((piece) => piece.variable !== null)
        .map((piece) => ({ name: piece.variable!, value: null, secret: true })),
    ],
    risks,
    // A word or value with an input in it is the user's answer, not the entry's.
    fixed: {
      args: commandLine((piece) => piece.preview, dockerEnvPreview).filter((word) => !/\{[^}]*\}/.test(word)),
      env: Object.fromEntries(
        environment
          .filter(
            ({ entry, piece }) =>
              !piece.secret && entry.value !== undefined && !/\{[^}]*\}/.test(entry.value),
          )
          .map(({ name, entry }) => [name, entry.value!]),
      ),
    },
    settings(values) {
      const env: Record<string, string> = {};
      const dockerWords: string[] = [];
      for (const { name, piece } of environment) {
        const value = piece.render(values)?.[0];
        if (value === undefined) continue;
        if (run.kind !== 'oci' || piece.secret) {
          env[name] = value;
          if (run.kind === 'oci') dockerWords.push('-e', name);
        } else dockerWords.push('-e', `${name}=${value}`);
      }
      const args = commandLine((piece) => piece.render(values), dockerWords);
      for (const piece of [...runtimePieces, ...packagePieces]) Object.assign(env, piece.sealed(values));
      return { kind: 'stdio', command: run.runtime, args, env, cwd: null };
    },
  };
}

/** An argument piece that knows which environment variable carries its secret value, if any. */
interface ArgumentPiece extends InputPiece {
  /** The variable its secret value travels in (`GATEHOUSE_ARGUMENT_API_KEY`), or null for a plain one. */
  variable: string | null;
  /** Its secret values by variable name (empty for a plain one). */
  sealed(values: InputValues): Record<string, string>;
}

/**
 * A secret argument (marked secret, or named like `--api-key`) is not saved on the command line: its
 * value is sealed in the environment as GATEHOUSE_ARGUMENT_<NAME> and the command line holds
 * `${GATEHOUSE_ARGUMENT_<NAME>}`, which the store fills in only when the server starts
 * (connector-store.ts). A publisher's fixed value is public already and stays as written.
 */
function sealedArgument(argument: Argument, piece: InputPiece): ArgumentPiece {
  if (!piece.secret || piece.inputs.length === 0) return { ...piece, variable: null, sealed: () => ({}) };
  const label = argument.type === 'named' ? argument.name : (argument.valueHint ?? piece.inputs[0]!.name);
  const variable = `${SEALED_ARGUMENT_PREFIX}${label
    .replace(/^-+/, '')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toUpperCase()}`;
  const named = argument.type === 'named';
  const split = (values: InputValues) => {
    const words = piece.render(values);
    if (words === null) return null;
    const env: Record<string, string> = {};
    let count = 0;
    const sealedWords = words.map((word, at) => {
      if (named && at % 2 === 0) return word;
      count++;
      const name = count === 1 ? variable : `${variable}_${count}`;
      env[name] = word;
      return `\${${name}}`;
    });
    return { words: sealedWords, env };
  };
  return {
    ...piece,
    variable,
    render: (values) => split(values)?.words ?? null,
    sealed: (values) => split(values)?.env ?? {},
  };
}

/** Where the code comes from, in words: the package on its registry, or the image. */
function sourceText(run: Runner, pkg: ServerPackage): string {
  if (run.kind === 'oci') return `Docker image ${run.target}`;
  const registry = pkg.registryBaseUrl ?? (run.kind === 'npm' ? NPM_REGISTRY : PYPI_REGISTRY);
  return `${run.label} from ${registry}`;
}
