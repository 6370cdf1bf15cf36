// A server started through a package runner (npx, uvx, …) installs the package on its first start, so
// it gets two minutes to start rather than 30 s; any other command keeps the usual window, and the
// runner's calls keep their own timeout.
import { describe, expect, it } from 'vitest';
import { startWindow } from '../../../../main/core/connectors/runtime/upstream-factory.js';
import type { StdioSettings } from '../../../../main/core/api/connector-config.js';

const stdio = (command: string, args: string[] = []): StdioSettings =>
  ({ kind: 'stdio', command, args, env: {} }) as unknown as StdioSettings;

describe('a stdio server’s window to start', () => {
  it('gives a package runner two minutes, on every platform’s spelling of it', () => {
    for (const command of [
      'npx',
      'uvx',
      'pnpx',
      'bunx',
      'pipx',
      '/usr/local/bin/npx',
      'C:\\Program Files\\nodejs\\npx.cmd',
      'UVX.EXE',
    ]) {
      expect(startWindow(stdio(command), {}), command).toMatchObject({
        initializeTimeoutMs: 120_000,
        requestTimeoutMs: 30_000,
      });
    }
  });

  // Windows configurations often start a runner through the command interpreter.
  it('sees a package runner started through cmd /c, however the command line is split or quoted', () => {
    for (const [command, args] of [
      ['cmd', ['/c', 'npx', '-y', '@modelcontextprotocol/server-everything']],
      ['cmd.exe', ['/d', '/s', '/c', '"npx -y @modelcontextprotocol/server-everything"']],
      ['C:\\Windows\\System32\\cmd.exe', ['/C', 'uvx mcp-server-fetch']],
      ['CMD', ['/k', 'pnpx.cmd', 'some-server']],
    ] as const)
      expect(startWindow(stdio(command, [...args]), {}), `${command} ${args.join(' ')}`).toMatchObject({
        initializeTimeoutMs: 120_000,
        requestTimeoutMs: 30_000,
      });
    for (const args of [['/c', 'node', 'server.js'], ['/c', '"my-npx" serve'], ['npx'], ['/c']])
      expect(startWindow(stdio('cmd', args), { initializeTimeoutMs: 5_000 }), args.join(' ')).toEqual({
        initializeTimeoutMs: 5_000,
      });
  });

  it('keeps the usual window for anything else, and never shortens a longer one', () => {
    for (const command of ['node', 'python3', 'npx-helper', 'my-npx', '/opt/npx/bin/server', 'docker'])
      expect(startWindow(stdio(command), { initializeTimeoutMs: 5_000 }), command).toEqual({
        initializeTimeoutMs: 5_000,
      });
    expect(startWindow(stdio('npx'), { initializeTimeoutMs: 300_000, requestTimeoutMs: 10_000 })).toEqual({
      initializeTimeoutMs: 300_000,
      requestTimeoutMs: 10_000,
    });
  });
});
