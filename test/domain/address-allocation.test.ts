import assert from 'node:assert/strict';
import { addressLocalPart } from '../../src/domain/email-address';

/** The directory's allocation of numbered addresses (R11, R12) is proven per store in test/stores. */
describe('Primary address allocation', () => {
  it('R11: first.last@domain in lower case, letters folded to ASCII', () => {
    assert.equal(addressLocalPart('John', 'Smith'), 'john.smith');
    assert.equal(addressLocalPart('Zoë', 'Ñúñez'), 'zoe.nunez');
    assert.equal(addressLocalPart('Łukasz', 'Straße'), 'lukasz.strasse');
    assert.equal(addressLocalPart('Siobhán', "O'Neil"), 'siobhan.oneil');
    assert.equal(addressLocalPart('Mary Ann', 'Smith-Jones'), 'maryann.smith-jones');
    assert.equal(addressLocalPart('Иван', 'Петров'), 'ivan.petrov');
  });
});
