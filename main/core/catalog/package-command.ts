// Turns one package of a server.json into the command of a stdio connector, pinned to the published
// version: npm → `npx -y <pkg>@<version>`, PyPI → `uvx <pkg>==<version>`, OCI → `docker run -i --rm …
// <image>`. Runtime arguments go to the runner, package arguments to the server, environment variables
// to the connector's (encrypted) environment — for Docker, passed into the container by name with
// `-e NAME`, so no value is ever on a command line. A package Gatehouse cannot run says why.
import type { CatalogInputView, CatalogOptionKind } from '../api/catalog-contract.js';
import type { StdioSettings } from '../connectors/connector-config.js';
import {
  argumentPiece,
  inputsOf,
  keyValuePiece,
  type InputPiece,
  type InputValues,
} from './catalog-inputs.js';
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
    settings: () => {
      throw new Error('no settings for an unsupported package');
    },
  };
}

/** The plan for one package of a server.json. */
export function packagePlan(pkg: ServerPackage): PackagePlan {
  const run = runner(pkg);
  if (run === null) return unsupported(pkg);
  const runtimeArguments = pkg.runtimeArguments ?? [];
  const dockerEnv =
    run.kind === 'oci' ? runtimeArguments.map(dockerEnvironment) : runtimeArguments.map(() => null);
  const runtimePieces = runtimeArguments.flatMap((argument, at) =>
    dockerEnv[at] ? [] : [argumentPiece(argument, at + 1)],
  );
  const packagePieces = (pkg.packageArguments ?? []).map((argument, at) => argumentPiece(argument, at + 1));
  const environment = [
    ...(pkg.environmentVariables ?? []),
    ...dockerEnv.filter((entry): entry is KeyValueInput => entry !== null),
  ].map((entry) => ({ name: entry.name, piece: keyValuePiece(entry, 'environment') }));
  const pieces = [...runtimePieces, ...packagePieces, ...environment.map((entry) => entry.piece)];
  const secretWords = [...runtimePieces, ...packagePieces]
    .filter((piece) => piece.secret)
    .flatMap((piece) => piece.inputs.map((input) => input.name));

  const transport = pkg.transport?.type ?? 'stdio';
  const problem =
    run.problem ??
    (transport !== 'stdio'
      ? `This package runs its own ${transport === 'sse' ? 'SSE' : 'Streamable HTTP'} server on this machine; Gatehouse can start only packages that speak stdio.`
      : secretWords.length > 0
        ? `This package takes the secret ${secretWords.join(', ')} on its command line, where Gatehouse could not keep it encrypted (it keeps secrets only in environment variables and headers).`
        : null);

  const registryWords =
    run.kind === 'npm' && pkg.registryBaseUrl && pkg.registryBaseUrl.replace(/\/+$/, '') !== NPM_REGISTRY
      ? ['--registry', pkg.registryBaseUrl]
      : [];
  const commandLine = (
    words: (piece: InputPiece) => string[] | null,
    envNames: readonly string[],
  ): string[] => {
    const runtimeWords = runtimePieces.flatMap((piece) => words(piece) ?? []);
    const packageWords = packagePieces.flatMap((piece) => words(piece) ?? []);
    switch (run.kind) {
      case 'npm':
        return ['-y', ...registryWords, ...runtimeWords, run.target, ...packageWords];
      case 'pypi':
        return [...runtimeWords, run.target, ...packageWords];
      default:
        return [
          'run',
          '-i',
          '--rm',
          ...runtimeWords,
          ...envNames.flatMap((name) => ['-e', name]),
          run.target,
          ...packageWords,
        ];
    }
  };

  return {
    kind: run.kind,
    runtime: run.runtime,
    label: run.label,
    problem,
    inputs: inputsOf(pieces),
    preview: [
      run.runtime,
      ...commandLine(
        (piece) => piece.preview,
        environment.map((entry) => entry.name),
      ),
    ].join(' '),
    settings(values) {
      const env: Record<string, string> = {};
      for (const { name, piece } of environment) {
        const value = piece.render(values)?.[0];
        if (value !== undefined) env[name] = value;
      }
      return {
        kind: 'stdio',
        command: run.runtime,
        args: commandLine((piece) => piece.render(values), Object.keys(env)),
        env,
        cwd: null,
      };
    },
  };
}
