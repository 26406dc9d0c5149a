import assert from 'node:assert/strict';
import { parsePhone } from '../../src/operations/schemas/phone';
import { createAccountBody, identityEventBody } from '../../src/operations/schemas/requests';
import { TOKENS, apiHarness, bearer, newPerson } from '../helpers/api-harness';
import { csv, line, upload } from '../bulk/bulk-helpers';

const mobileError = (mobile: string) => {
  const parsed = createAccountBody.safeParse(newPerson({ mobile }));
  return parsed.success ? undefined : parsed.error.issues.find((i) => i.path[0] === 'mobile')?.message;
};

describe('Phone numbers in the words an administrator understands (R7, R8)', () => {
  it('R7: a +44 mobile of the Crown Dependencies (07911 123456 is in Guernsey) is a UK number', () => {
    assert.equal(mobileError('07911 123456'), undefined);
    const phone = parsePhone('07911 123456')!;
    assert.deepEqual(
      [phone.uk, phone.mobile, phone.country, phone.countryName],
      [true, true, 'GG', 'Guernsey'],
    );
    assert.equal(parsePhone('+44 7797 123456')!.uk, true, 'Jersey');
    assert.equal(parsePhone('07624 123456')!.uk, true, 'Isle of Man');
  });

  it('R7: a refused mobile says which country the number was taken to be, or that it is a landline', () => {
    assert.equal(
      mobileError('+33 6 12 34 56 78'),
      'Mobile must be a UK mobile number: the number given is a number of France (R7)',
    );
    assert.equal(
      mobileError('020 7188 7188'),
      'Mobile must be a UK mobile number: the number given is a UK landline (R7)',
    );
  });

  it('R7: a number in international format that is not a valid UK mobile (+44 7700 900123, a drama number) is said to be so, with an example', () => {
    assert.equal(
      mobileError('+44 7700 900123'),
      'Mobile is not a valid UK mobile number: give one such as 07400 123456 (R7)',
    );
    const event = identityEventBody.safeParse({
      type: 'MfaRegistered',
      method: 'sms',
      phoneNumber: '+44 7700 900123',
    });
    assert.equal(event.success, false);
    assert.equal(
      !event.success && event.error.issues[0]!.message,
      'Phone number is not a valid UK mobile number: give one such as +44 7400 123456',
    );
  });
});

describe('Bodies without JSON (the newcomer’s curl)', () => {
  it('R4: a body sent without Content-Type: application/json is 415 naming the header, not read as an empty one; no body at all says so, where a body is wanted', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const plain = await h.api
        .post('/v1/accounts')
        .set(bearer(TOKENS.gstt))
        .set('Content-Type', 'text/plain')
        .send('{"title":"Dr"}');
      assert.equal(plain.status, 415);
      assert.equal(plain.type, 'application/problem+json');
      assert.match(plain.body.detail, /text\/plain: send it as JSON, with Content-Type: application\/json/);
      const none = await h.api.post('/v1/accounts').set(bearer(TOKENS.gstt));
      assert.equal(none.status, 400);
      assert.match(
        none.body.errors[0].message,
        /no body: send a JSON object, with Content-Type: application\/json/,
      );
      assert.equal(h.starts(), 0);
      const noneWanted = await h.api.post('/v1/accounts/nobody@nhs.net/resecure').set(bearer(TOKENS.gstt));
      assert.equal(noneWanted.status, 404, 'a route that takes no body needs none');
    });
  });

  it('R31: a bulk upload takes its CSV body (text/csv, or bytes) past the JSON rule, and names text/csv when sent JSON', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const checked = await upload(h, csv([line()]), 'validate');
      assert.equal(checked.status, 200, JSON.stringify(checked.body));
      assert.equal(checked.body.valid, 1);
      // Issue 27: as bytes, as a generated client (openapi-python-client) sends a file.
      const bytes = await h.api
        .post('/v1/bulk-uploads?organisation=RJ1&mode=validate')
        .set(bearer(TOKENS.gstt))
        .set('Content-Type', 'application/octet-stream')
        .send(Buffer.from(csv([line()])));
      assert.equal(bytes.status, 200, JSON.stringify(bytes.body));
      assert.equal(bytes.body.valid, 1);
      const json = await h.api
        .post('/v1/bulk-uploads?organisation=RJ1&mode=validate')
        .set(bearer(TOKENS.gstt))
        .send({ file: 'x' });
      assert.equal(json.status, 415);
      assert.match(json.body.detail, /Content-Type: text\/csv/);
    });
  });
});
