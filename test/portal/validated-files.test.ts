import assert from 'node:assert/strict';
import { ValidatedFiles } from '../../src/http/portal/validated-files';

describe('Portal: validated files kept for Create', () => {
  it('Issue 27 item 4, Security 10: a validated file is kept for its session for a short time, and the memory held is bounded', () => {
    let now = 0;
    const files = new ValidatedFiles({ keepMs: 1000, maxBytes: 10 }, () => now);
    const a = files.keep('session-a', { name: 'a.csv', file: Buffer.from('aaaa') });
    assert.equal(files.find('session-a', a)?.name, 'a.csv');
    assert.equal(files.find('session-b', a), undefined, 'only its session gets it');
    now = 999;
    assert.ok(files.find('session-a', a));
    now = 1000;
    assert.equal(files.find('session-a', a), undefined, 'expired');

    const b = files.keep('session-b', { name: 'b.csv', file: Buffer.from('bbbbbb') });
    const c = files.keep('session-c', { name: 'c.csv', file: Buffer.from('cccccc') });
    assert.equal(files.find('session-b', b), undefined, 'the oldest went to hold at most 10 bytes');
    assert.ok(files.find('session-c', c));
    const c2 = files.keep('session-c', { name: 'c2.csv', file: Buffer.from('c') });
    assert.equal(files.find('session-c', c), undefined, 'a session holds its last validated file only');
    assert.equal(files.find('session-c', c2)?.name, 'c2.csv');
  });
});
