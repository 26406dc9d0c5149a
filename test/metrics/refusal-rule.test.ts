import assert from 'node:assert/strict';
import { refusalRule } from '../../src/metrics/refusal-rule';

describe('Metrics: the rule a refusal is counted under', () => {
  it('is the first rule the message cites, R1 to R32, never text or a code that looks like one', () => {
    assert.equal(refusalRule('The account cannot be edited until it is Active ... now (R17).'), 'R17');
    assert.equal(refusalRule('accept it as a joiner instead (R12, R28).'), 'R12');
    assert.equal(refusalRule('back on the national user policy (R14a)'), 'R14');
    assert.equal(refusalRule('Manchester (R0A) and role R8000 are not rules; R33 neither'), 'unspecified');
    assert.equal(refusalRule(undefined), 'unspecified');
  });
});
