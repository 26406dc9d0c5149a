import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { createLogger, logFormat } from '../../src/logger';

/** What a logger of `format` writes for one entry carrying a password and a mobile number. */
function written(format: 'json' | 'pretty'): string {
  const out = new PassThrough();
  let text = '';
  out.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const log = createLogger('info', out, format);
  log.info(
    { account: 'aoife.oneil@nhs.net', temporaryPassword: 'VvJ69uH%ZU^9DgCj', mobile: '07700900123' },
    'created',
  );
  log.flush();
  return text;
}

describe('The terminal: readable lines on a terminal, JSON lines otherwise (issue 27)', () => {
  it('operations: LOG_FORMAT unset gives readable lines on a terminal and JSON lines to a pipe or a file; json and pretty choose', () => {
    assert.equal(logFormat({}, true), 'pretty');
    assert.equal(logFormat({}, false), 'json');
    assert.equal(logFormat({ LOG_FORMAT: 'json' }, true), 'json');
    assert.equal(logFormat({ LOG_FORMAT: 'pretty' }, false), 'pretty');
    assert.throws(
      () => logFormat({ LOG_FORMAT: 'yaml' }, true),
      /LOG_FORMAT=yaml is not one of json, pretty/,
    );
  });

  it('operations: a readable line is its time of day, level and message, then the rest; JSON is one object a line', () => {
    const line = written('pretty').trim();
    assert.match(line, /^\[\d\d:\d\d:\d\d\] INFO: created \{"account":"aoife\.oneil@nhs\.net"/);
    assert.equal(line.split('\n').length, 1);
    const json = JSON.parse(written('json')) as Record<string, unknown>;
    assert.equal(json.msg, 'created');
  });

  it('Security: passwords and phone numbers are redacted in readable lines as in JSON lines', () => {
    for (const format of ['pretty', 'json'] as const) {
      const text = written(format);
      assert.doesNotMatch(text, /VvJ69uH|07700900123/, format);
      assert.match(text, /\[redacted\]/, format);
    }
  });
});
