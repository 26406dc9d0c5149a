import { sleep } from './random';
import { NoAnswer, type Answer, type ApiClient } from './api-client';

export const ADMIN_TOKEN = 'dev-local-admin-gstt-0001';
export const IDENTITY_TOKEN = 'dev-identity-platform-0005';

export interface Person {
  index: number;
  firstName: string;
  lastName: string;
  /** A valid UK mobile of the range libphonenumber keeps for examples, 07400 1xxxxx, one per person. */
  mobile: string;
}

const FIRST_NAMES = ['Aoife', 'Bola', 'Ciaran', 'Deepa', 'Efua', 'Fergus', 'Grace', 'Hamza', 'Isla', 'Jun'];

/** The run's people: each a name and a mobile of their own. */
export function people(count: number): Person[] {
  return Array.from({ length: count }, (_, index) => ({
    index,
    firstName: FIRST_NAMES[index % FIRST_NAMES.length]!,
    lastName: `Chaos${String(index).padStart(5, '0')}`,
    mobile: `074001${String(index).padStart(5, '0')}`,
  }));
}

export const fullName = (p: { firstName: string; lastName: string }) => `${p.firstName} ${p.lastName}`;

function createBody(person: Person) {
  return {
    title: 'Dr',
    firstName: person.firstName,
    lastName: person.lastName,
    mobile: person.mobile,
    jobTitle: 'Staff Nurse',
    emailAlias: 'nhs.net',
    organisation: 'RJ1',
    organisationalUnit: 'RJ1-CARD-CCU',
    site: 'RJ121',
    clinicalSpecialities: ['300'],
    clinicalRoles: ['R8001'],
    workAreas: ['WA-WARD'],
  };
}

/** The identity platform's first-login events, in the order a user takes them (R18). */
function firstLoginEvents(person: Person) {
  return [
    { type: 'PasswordChanged' },
    { type: 'AupAccepted' },
    { type: 'SecretSet' },
    { type: 'MfaRegistered', method: 'sms', phoneNumber: person.mobile },
    { type: 'ProfileUpdated', mobile: person.mobile },
  ];
}

export interface JourneyResult {
  person: Person;
  /** The account the journey ended up with, if the create got that far. */
  id?: string;
  completed: boolean;
  /** Why it did not complete. */
  failure?: string;
  tookMs: number;
}

/** What the callers noticed on the way, beyond the tally of status codes. */
export interface CallerNotes {
  /** A create answered 409 Duplicate account: the account a lost answer made, taken over by its id. */
  duplicateTakenOver: string[];
  /** A create answered 409 Possible duplicate account naming this very person, taken over. */
  possibleDuplicateTakenOver: string[];
  /** 503 answers naming an address reserved without its lifecycle started yet. */
  reservedNotStarted: number;
  /** Creates answered with Idempotent-Replayed. */
  replayedCreates: number;
  /** Accounts whose temporary password no answer ever showed (R13: to be reset once Active). */
  passwordNeverShown: string[];
  /** Accounts that answered 404 for a while although the create had named them. */
  notFoundForAWhile: Set<string>;
  /** First-login events refused as "not Active yet" after GET had shown the account Active; retried. */
  refusedAfterActive: string[];
}

export function newCallerNotes(): CallerNotes {
  return {
    duplicateTakenOver: [],
    possibleDuplicateTakenOver: [],
    reservedNotStarted: 0,
    replayedCreates: 0,
    passwordNeverShown: [],
    notFoundForAWhile: new Set(),
    refusedAfterActive: [],
  };
}

class JourneyFailed extends Error {}

/**
 * One person, as an administrator's client and the identity platform would take them: create (one
 * Idempotency-Key across retries), wait until Active, report the first-login steps (each with a key of its
 * own), wait until the account can send email. Every call is retried as a careful client would: on no
 * answer, on 5xx, and on 409 "In progress" after its Retry-After.
 */
export class Journeys {
  constructor(
    private readonly api: ApiClient,
    private readonly runId: string,
    private readonly deadline: number,
    readonly notes: CallerNotes,
  ) {}

  async run(person: Person): Promise<JourneyResult> {
    const started = Date.now();
    let id: string | undefined;
    try {
      id = await this.create(person);
      await this.waitFor(id, 'Active', (view) => view.status === 'Active');
      for (const event of firstLoginEvents(person)) await this.report(person, id, event);
      await this.waitFor(id, 'canSendEmail', (view) => view.canSendEmail === true);
      return { person, id, completed: true, tookMs: Date.now() - started };
    } catch (err) {
      if (!(err instanceof JourneyFailed)) throw err;
      return { person, id, completed: false, failure: err.message, tookMs: Date.now() - started };
    }
  }

  private async create(person: Person): Promise<string> {
    const idempotencyKey = `chaos-${this.runId}-create-${person.index}`;
    let passwordShown = false;
    const answer = await this.retrying('create', () =>
      this.api.request('create', 'POST', '/v1/accounts', {
        token: ADMIN_TOKEN,
        body: createBody(person),
        idempotencyKey,
      }),
    );
    let id: string;
    if (answer.status === 201) {
      id = answer.body.id;
      passwordShown = !!answer.body.temporaryPassword;
      if (answer.headers.get('Idempotent-Replayed') === 'true') this.notes.replayedCreates++;
    } else if (answer.status === 409 && answer.body?.title === 'Duplicate account') {
      id = answer.body.existing.id;
      this.notes.duplicateTakenOver.push(id);
    } else if (answer.status === 409 && answer.body?.title === 'Possible duplicate account') {
      const same = (answer.body.candidates as { id: string; displayName: string }[]).find(
        (c) => c.displayName === fullName(person),
      );
      if (!same) throw new JourneyFailed(`create answered 409 Possible duplicate: ${answer.body.detail}`);
      id = same.id;
      this.notes.possibleDuplicateTakenOver.push(id);
    } else {
      throw new JourneyFailed(`create answered ${answer.status}: ${describe(answer)}`);
    }
    if (!passwordShown) this.notes.passwordNeverShown.push(id);
    return id;
  }

  /**
   * One first-login event. A refusal for want of an Active account, when GET has shown it Active, is a "not
   * yet": tried again (a new request, so a new key) for up to a minute, and noted.
   */
  private async report(person: Person, id: string, event: { type: string }): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const idempotencyKey = `chaos-${this.runId}-${person.index}-${event.type}-${attempt}`;
      const answer = await this.retrying(event.type, () =>
        this.api.request('event', 'POST', `/v1/accounts/${encodeURIComponent(id)}/events`, {
          token: IDENTITY_TOKEN,
          body: event,
          idempotencyKey,
        }),
      );
      if (answer.status === 200) return;
      const notActiveYet = answer.status === 409 && answer.body?.missing?.includes('Active');
      if (!notActiveYet || attempt >= 60) {
        throw new JourneyFailed(`${event.type} answered ${answer.status}: ${describe(answer)}`);
      }
      this.notes.refusedAfterActive.push(`${id} ${event.type}: ${describe(answer)}`);
      await this.pause(1000, event.type);
    }
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private async waitFor(id: string, what: string, done: (view: any) => boolean): Promise<void> {
    let notFoundSince: number | undefined;
    for (;;) {
      const answer = await this.retrying(`waiting for ${what}`, () =>
        this.api.request('get', 'GET', `/v1/accounts/${encodeURIComponent(id)}`, { token: ADMIN_TOKEN }),
      );
      if (answer.status === 200) {
        if (done(answer.body)) return;
        if (answer.body.status !== 'Pending' && answer.body.status !== 'Active') {
          throw new JourneyFailed(`the account became ${answer.body.status} while waiting for ${what}`);
        }
        notFoundSince = undefined;
      } else if (answer.status === 404) {
        this.notes.notFoundForAWhile.add(id);
        notFoundSince ??= Date.now();
        if (Date.now() - notFoundSince > 60_000)
          throw new JourneyFailed(`404 for a minute: ${describe(answer)}`);
      } else {
        throw new JourneyFailed(
          `GET answered ${answer.status} while waiting for ${what}: ${describe(answer)}`,
        );
      }
      await this.pause(1000, `waiting for ${what}`);
    }
  }

  /**
   * The call, again and again until it gets an answer that is not transient: no answer and 5xx are
   * retried with a jittered exponential back-off (at most 5 s), 409 "In progress" after its Retry-After.
   */
  private async retrying(step: string, call: () => Promise<Answer>): Promise<Answer> {
    for (let attempt = 0; ; attempt++) {
      let wait: number;
      try {
        const answer = await call();
        if (answer.status === 503 && typeof answer.body?.id === 'string') this.notes.reservedNotStarted++;
        const inProgress = answer.status === 409 && answer.body?.title === 'In progress';
        if (answer.status < 500 && !inProgress) return answer;
        const retryAfter = Number(answer.headers.get('Retry-After'));
        wait = retryAfter > 0 ? retryAfter * 1000 : backoff(attempt);
      } catch (err) {
        if (!(err instanceof NoAnswer)) throw err;
        wait = backoff(attempt);
      }
      await this.pause(wait, step);
    }
  }

  private async pause(ms: number, step: string): Promise<void> {
    if (Date.now() + ms > this.deadline) throw new JourneyFailed(`the deadline passed during ${step}`);
    await sleep(ms);
  }
}

const backoff = (attempt: number) => Math.min(5000, 250 * 2 ** attempt) * (0.5 + Math.random() / 2);

function describe(answer: Answer): string {
  const body = answer.body;
  if (body && typeof body === 'object') return `${body.title ?? ''} ${body.detail ?? ''}`.trim();
  return String(body).slice(0, 200);
}
