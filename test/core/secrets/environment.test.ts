// Which of Gatehouse's environment variables a sandboxed server gets: the allow-list, and the package
// mirrors the user's environment names, passed only when their addresses carry no credentials.
import { describe, expect, it } from 'vitest';
import {
  isPassedVariable,
  isSecretVariable,
  packageIndexes,
} from '../../../main/core/secrets/environment.js';

describe('the environment a local server gets', () => {
  it('passes the allow-list and no credential variable nobody named', () => {
    for (const name of ['PATH', 'HOME', 'LC_ALL', 'NODE_EXTRA_CA_CERTS', 'npm_config_fetch_retries'])
      expect(isPassedVariable(name), name).toBe(true);
    for (const name of ['HF_TOKEN', 'DATABASE_URL', 'DBUS_SESSION_BUS_ADDRESS', 'npm_config__authToken'])
      expect(isPassedVariable(name), name).toBe(false);
    expect(isSecretVariable('OPENROUTER_API_KEY')).toBe(true);
    expect(isSecretVariable('LANG')).toBe(false);
  });

  it('passes a package mirror as plain http(s) addresses, and none that carries credentials', () => {
    const passed = packageIndexes({
      npm_config_registry: 'http://127.0.0.1:4873/',
      UV_INDEX_URL: 'https://pypi.corp.example/simple',
      PIP_INDEX_URL: 'https://build:s3cret@pypi.corp.example/simple',
      UV_EXTRA_INDEX_URL: 'https://a.example/simple https://token@b.example/simple',
      PIP_EXTRA_INDEX_URL: 'file:///srv/wheels',
    });
    expect(passed.map(({ name, urls }) => [name, urls.map((url) => url.host)])).toEqual([
      ['npm_config_registry', ['127.0.0.1:4873']],
      ['UV_INDEX_URL', ['pypi.corp.example']],
    ]);
  });
});
