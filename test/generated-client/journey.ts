/**
 * A client author's script, written against the types openapi-typescript generates from /openapi.json
 * (`./api`, generated beside this file by test/api/generated-client.test.ts, which type-checks it with
 * `tsc --strict` and runs it). It knows the API only by its document: problems are told apart by their
 * `type` URI, never by their title. Not compiled with the engine (tsconfig.json excludes it).
 */
import createClient from 'openapi-fetch';
import type { components, paths } from './api';

type Schemas = components['schemas'];
type CreateAccount = Schemas['CreateAccountRequest'];
type IdentityEvent = Schemas['IdentityEvent'];

const PROBLEM = 'urn:nhsmail-account-engine:problem:';
export const POSSIBLE_DUPLICATE = `${PROBLEM}possible-duplicate` as const;
export const DUPLICATE = `${PROBLEM}duplicate` as const;
export const REFUSED = `${PROBLEM}refused` as const;

// The document says what the server requires: an sms or voice registration carries the number registered.
// @ts-expect-error: phoneNumber is required for sms
const withoutNumber: IdentityEvent = { type: 'MfaRegistered', method: 'sms' };
void withoutNumber;

export interface JourneyOptions {
  baseUrl: string;
  adminToken: string;
  identityPlatformToken: string;
  /** The person to create; another person of the same name is created first, to meet R12. */
  person: CreateAccount & { mobile: string };
  /** Waits a while before the account is read again (a timer, or the test's clock). */
  wait: () => Promise<void>;
}

export interface JourneyResult {
  id: string;
  /** The problem types met on the way, in order. */
  problems: string[];
  account: Schemas['Account'];
}

/** Creates an account, answers R12's questions, reports its first login, and waits for canSendEmail. */
export async function journey(options: JourneyOptions): Promise<JourneyResult> {
  const { person } = options;
  const client = createClient<paths>({
    baseUrl: options.baseUrl,
    headers: { Authorization: `Bearer ${options.adminToken}` },
  });
  const problems: string[] = [];

  const namesake = await client.POST('/v1/accounts', {
    body: { ...person, mobile: undefined, jobTitle: 'Namesake' },
  });
  if (!namesake.data) throw new Error(`namesake: ${namesake.response.status}`);

  // The same name: a possible duplicate (R12), which a caller confirms is another person.
  const first = await client.POST('/v1/accounts', { body: person });
  if (first.response.status !== 409 || first.error?.type !== POSSIBLE_DUPLICATE) {
    throw new Error(`expected a possible duplicate, got ${first.response.status}`);
  }
  problems.push(first.error.type);
  if (!first.error.candidates.some((c) => c.id === namesake.data.id)) {
    throw new Error('the namesake is not among the candidates');
  }
  const created = await client.POST('/v1/accounts', {
    body: { ...person, confirmNotDuplicate: true },
    params: { header: { 'Idempotency-Key': `journey-${person.mobile}` } },
  });
  if (created.response.status !== 201 || !created.data) throw new Error(`create: ${created.response.status}`);
  const { id } = created.data;

  // The same mobile number: a duplicate, whatever the name (R12): the joiner route, not a create.
  const again = await client.POST('/v1/accounts', {
    body: { ...person, lastName: 'Other', confirmNotDuplicate: true },
  });
  if (again.error?.type !== DUPLICATE) throw new Error(`expected a duplicate, got ${again.response.status}`);
  problems.push(again.error.type);
  if (again.error.existing?.id !== id) throw new Error('the duplicate does not name the account');

  const platform = createClient<paths>({
    baseUrl: options.baseUrl,
    headers: { Authorization: `Bearer ${options.identityPlatformToken}` },
  });
  const report = (event: IdentityEvent) =>
    platform.POST('/v1/accounts/{id}/events', { params: { path: { id } }, body: event });

  // First-login steps wait for the mailbox (R18): refused, naming the rule and what is missing.
  const early = await report({ type: 'PasswordChanged' });
  if (
    early.error?.type !== REFUSED ||
    early.error.rule !== 'R18' ||
    !early.error.missing?.includes('Active')
  ) {
    throw new Error(`a step before the mailbox was not refused under R18: ${early.response.status}`);
  }
  problems.push(early.error.type);

  const read = async () => {
    const { data, error } = await client.GET('/v1/accounts/{id}', { params: { path: { id } } });
    if (!data) throw new Error(`read: ${error?.type}`);
    return data;
  };
  let account = await read();
  while (account.status !== 'Active') {
    await options.wait();
    account = await read();
  }
  for (const event of [
    { type: 'PasswordChanged' },
    { type: 'AupAccepted' },
    { type: 'SecretSet' },
    { type: 'MfaRegistered', method: 'sms', phoneNumber: person.mobile },
    { type: 'ProfileUpdated' },
  ] satisfies IdentityEvent[]) {
    const { data, error } = await report(event);
    if (!data?.accepted) throw new Error(`${event.type}: ${error?.type} ${error?.detail}`);
  }
  while (!account.canSendEmail) {
    await options.wait();
    account = await read();
  }
  return { id, problems, account };
}
