import assert from 'node:assert/strict';
import { hashToken, Principals } from '../../src/access/principals';

const admin = (over: Record<string, unknown>) => ({
  kind: 'local-admin',
  name: 'Alex Admin',
  orgs: ['RJ1'],
  ...over,
});

describe('Principals file', () => {
  it('security: principal ids given twice are refused, naming the id and the entries', () => {
    assert.throws(
      () =>
        new Principals([
          admin({ id: 'alex@nhs.net', token: 'token-one-0000000001' }),
          admin({ id: 'sam@nhs.net', token: 'token-two-0000000002' }),
          admin({ id: 'alex@nhs.net', token: 'token-three-00000003' }),
        ]),
      (err: Error) => /principal id "alex@nhs\.net" is given to entries \[0\], \[2\]/.test(err.message),
    );
  });

  it('security: one token given to two principals is refused, naming the entries but not the token', () => {
    const token = 'shared-token-0000000001';
    assert.throws(
      () =>
        new Principals([
          admin({ id: 'alex@nhs.net', token }),
          admin({ id: 'sam@nhs.net', tokenSha256: hashToken(token) }),
        ]),
      (err: Error) =>
        /entries \[0\], \[1\] share one token/.test(err.message) && !err.message.includes(token),
    );
  });

  it('names each entry and field at fault, and accepts a sound file', () => {
    assert.throws(
      () => new Principals([admin({ token: 'short' }), { kind: 'robot', name: 'x', token: 'x'.repeat(20) }]),
      (err: Error) => /\[0\]\.token/.test(err.message) && /\[1\]\.kind/.test(err.message),
    );
    const principals = new Principals([
      admin({ id: 'alex@nhs.net', token: 'token-one-0000000001' }),
      { kind: 'national-admin', name: 'Nina', token: 'token-two-0000000002' },
    ]);
    assert.equal(principals.find('token-one-0000000001')?.id, 'alex@nhs.net');
    assert.equal(principals.find('token-two-0000000002')?.id, 'Nina');
  });
});
