// A catalog server that did not start because its package is not in its package registry, told from
// the explaining line of each runtime's report (recorded, as explainingStderrLine picks them: npm's
// runs for real in catalog-end-to-end); a failure of the network or of the user's answers is not.
import { describe, expect, it } from 'vitest';
import { packageNotInRegistry } from '../../../main/core/catalog/missing-package.js';

describe('packageNotInRegistry', () => {
  it.each([
    [
      'npm',
      "npm error 404  The requested resource '@acme/weather-mcp@1.4.0' could not be found or you do not have permission to access it.",
    ],
    ['npm', "npm error 404  '@acme/weather-mcp@1.4.0' is not in this registry."],
    ['npm', 'npm error notarget No matching version found for @acme/weather-mcp@9.9.9.'],
    [
      'pypi',
      '╰─▶ Because mcp-server-nothing was not found in the package registry and you require mcp-server-nothing, we can conclude that your requirements are unsatisfiable.',
    ],
    [
      'pypi',
      '╰─▶ Because there is no version of mcp-server-fetch==9.9.9 and you require mcp-server-fetch==9.9.9, we can conclude that your requirements are unsatisfiable.',
    ],
    [
      'oci',
      "docker: Error response from daemon: pull access denied for mcp/nothing, repository does not exist or may require 'docker login'.",
    ],
    [
      'oci',
      'docker: Error response from daemon: manifest for mcp/time:9.9 not found: manifest unknown: manifest unknown.',
    ],
  ] as const)('%s: %s', (kind, why) => {
    expect(packageNotInRegistry(kind, why)).toBe(true);
  });

  it.each([
    [
      'npm',
      'npm error network request to https://registry.npmjs.org/x failed, reason: getaddrinfo ENOTFOUND registry.npmjs.org',
    ],
    ['npm', 'Error: WEATHER_API_KEY is not valid'],
    [
      'pypi',
      'Caused by: dns error: failed to lookup address information: Temporary failure in name resolution',
    ],
    [
      'oci',
      'docker: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?',
    ],
    ['remote', 'The server at https://x.example/mcp answered 404'],
  ] as const)('not %s: %s', (kind, why) => {
    expect(packageNotInRegistry(kind, why)).toBe(false);
  });
});
