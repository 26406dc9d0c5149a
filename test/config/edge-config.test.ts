import assert from 'node:assert/strict';
import { loadAppConfig } from '../../src/config/app-config';

const embedded = { embedded: true, dataDir: '/tmp/data', uiPort: 8233 };

describe('Configuration: the web edges', () => {
  it('Security 5: TRUST_PROXY is loopback by default; none, a hop count, or addresses and ranges; never true', () => {
    assert.deepEqual(loadAppConfig({}, embedded).trustProxy, ['loopback']);
    assert.equal(loadAppConfig({ TRUST_PROXY: 'none' }, embedded).trustProxy, false);
    assert.equal(loadAppConfig({ TRUST_PROXY: '2' }, embedded).trustProxy, 2);
    assert.deepEqual(loadAppConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8,fd00::/8' }, embedded).trustProxy, [
      'loopback',
      '10.0.0.0/8',
      'fd00::/8',
    ]);
    assert.throws(() => loadAppConfig({ TRUST_PROXY: 'true' }, embedded), /TRUST_PROXY=true/);
    assert.throws(
      () => loadAppConfig({ TRUST_PROXY: '10.0.0.0/33' }, embedded),
      /TRUST_PROXY must be none, a number of hops, or addresses and ranges/,
    );
  });
});
