import assert from 'node:assert/strict';
import {
  BulkFileError,
  MAX_BYTES,
  MAX_FIELD_CHARACTERS,
  MAX_ROW_CHARACTERS,
  readBulkFile,
} from '../../src/bulk/bulk-file';
import { validateRows } from '../../src/bulk/bulk-rows';
import { csv, line } from '../bulk/bulk-helpers';
import { bestTime } from '../helpers/best-time';

const refusal = (file: string) => {
  try {
    readBulkFile(Buffer.from(file));
  } catch (err) {
    assert.ok(err instanceof BulkFileError, String(err));
    return err.message;
  }
  return assert.fail('the file was read');
};

describe('Bulk upload files: limits on fields and rows', () => {
  it('Security 1: a field longer than 4,000 characters refuses the file, naming its line and column', () => {
    const long = 'a' + ' '.repeat(MAX_FIELD_CHARACTERS) + '!';
    assert.equal(
      refusal(csv([line(), line({ Title: long })])),
      'Line 3: the Title field is longer than 4,000 characters, which no field of an upload may be.',
    );
    assert.match(
      refusal(csv([line({ Notes: 'x'.repeat(MAX_FIELD_CHARACTERS + 1) })])),
      /^Line 2: the Notes field/,
    );
  });

  it('Security 1: a row longer than 16,000 characters refuses the file, naming its line, however its fields are cut', () => {
    const quarter = 'y'.repeat(MAX_ROW_CHARACTERS / 4);
    const file = csv([
      line(),
      line(),
      line({ JobTitle: quarter, Notes: quarter, Site: quarter, Fax: quarter }),
    ]);
    assert.equal(
      refusal(file),
      'Line 4: the row is longer than 16,000 characters, which no row of an upload may be.',
    );
  });

  it('Security 1: a 5 MB file of one hostile field is refused in well under a second', () => {
    const hostile = csv([line({ FirstName: 'a' + ' '.repeat(MAX_BYTES - 1000) + '!' })]);
    assert.ok(Buffer.byteLength(hostile) <= MAX_BYTES);
    assert.match(refusal(hostile), /^Line 2: the row is longer than 16,000 characters/);
    const took = bestTime(() => refusal(hostile), 500);
    assert.ok(took < 500, `${Math.round(took)} ms`);
  });

  it('Security 1: fields within the limits are read, and a field too long for its column is that line’s error (R4)', () => {
    const rows = readBulkFile(
      Buffer.from(csv([line({ Notes: 'n'.repeat(2000) }), line({ Notes: 'n'.repeat(2001) })])),
    );
    const { valid, errors } = validateRows(rows, 'RJ1');
    assert.deepEqual(
      valid.map((v) => v.line),
      [2],
    );
    assert.deepEqual(errors, [{ line: 3, path: 'Notes', message: 'Notes must be at most 2000 characters' }]);
  });
});
