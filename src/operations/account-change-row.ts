import type { UpdateDefinition } from '@temporalio/common';
import type { z } from 'zod';
import type { Principal } from '../access/principals';
import type { AccountView } from '../domain/lifecycle-state';
import type { PolicyInWords } from '../domain/policy-in-words';
import type { Located } from '../ports/directory';
import type { ActorRequest } from '../workflows/definitions';
import type { AccountDeps, AccountTarget } from './account-access';
import type { IdentityEventAnswer } from './identity-event-answer';
import type { WithPassword } from './temporary-password';

/** What a change answers, by kind: the API describes each kind once, the portal shows it. */
export interface ChangeAnswers {
  /** The account as the change left it. */
  account: AccountView;
  /** The account with the temporary password the change issued, shown once (R13). */
  'account-with-password': AccountView & WithPassword;
  /** The new temporary password, shown once, and the account (R29). */
  resecured: { temporaryPassword: string | null; account: AccountView };
  /** What the identity platform is told: never the account (R1). */
  'identity-event': IdentityEventAnswer;
}
export type AnswerKind = keyof ChangeAnswers;

/** A text for administrators: as it is, or stating durations of the policy in force ("1 to 24 hours"). */
export type Worded = string | ((durations: PolicyInWords) => string);

export const worded = (text: Worded, durations: PolicyInWords): string =>
  typeof text === 'string' ? text : text(durations);

/** A change as the portal offers it on the Account page. */
export interface PortalAction<A> {
  /** Among the page's other actions, a button, when `offered`; none: a form of its own on the page. */
  button?: {
    text: string;
    explanation: Worded;
    warning?: true;
    offered(view: AccountView, principal: Principal): boolean;
  };
  /** The body, from the page's form; none: an empty one. */
  form?(field: (name: string) => string | undefined): unknown;
  /** Where on the page its errors link to. */
  section: string;
  /** Done: what the page then says (times written by `at`), or the new temporary password's page. */
  done:
    | { say(answer: A, at: (iso: string | null | undefined) => string): string }
    | { showPassword: { heading: string; explanation: Worded } };
}

/**
 * One change to an account: a row of the table in account-changes.ts, from which the API's route and its
 * OpenAPI entry, and the portal's action, are made; the lifecycle registers its Update's handler in the
 * concern module that applies it (src/workflows/lifecycle).
 */
export interface AccountChange<Req extends ActorRequest, Body, K extends AnswerKind> {
  /** The lifecycle's Update that makes the change (src/workflows/definitions.ts). */
  update: UpdateDefinition<AccountView, [Req]>;
  /** Who may make it (R1): anyone else is refused before the account is looked at. */
  who: readonly Principal['kind'][];
  /** What it does, in a line (the API's summary, which cites `rules` after it). */
  summary: string;
  /** The rules it serves, as the summary cites them. */
  rules: readonly string[];
  description?: string;
  /** Its route, under /v1/accounts/{id}, and the answer's status. */
  http: {
    method: 'post' | 'put' | 'patch' | 'delete';
    path: string;
    tag: 'Accounts' | 'Identity platform' | 'Leavers and joiners';
    status: 200 | 201;
  };
  /** Its body, checked once the caller may act on the account; none: the change reads no body. */
  body?: { schema: z.ZodType<Body>; optional?: true };
  /** Who else may reach the account for it, besides the administrators of its organisation (R28). */
  alsoFor?(located: Located): boolean;
  /** The Update's request (less the actor), from the checked body; it may refuse what the schema could not judge. */
  request(body: Body, target: AccountTarget): Omit<Req, 'actor'>;
  /** Its answer, and what the answer is; an account's answer is the account unless `of` says otherwise. */
  answer: {
    kind: K;
    description: string;
  } & (K extends 'account'
    ? { of?: undefined }
    : { of(view: AccountView, made: Made<Req>): Promise<ChangeAnswers[K]> | ChangeAnswers[K] });
  /** Its action on the portal's Account page; none: the portal offers it elsewhere, or not at all. */
  portal?: PortalAction<ChangeAnswers[K]>;
}

/** What an answer is made from besides the account: the change's target, its request and the deps. */
export interface Made<Req> {
  target: AccountTarget;
  request: Req;
  deps: AccountDeps;
}

/** A row as the API and the portal read it, whatever its request: all but how the request is made. */
export interface AnyAccountChange extends Pick<
  AccountChange<ActorRequest, unknown, AnswerKind>,
  'who' | 'summary' | 'rules' | 'description' | 'http' | 'alsoFor'
> {
  body?: { schema: z.ZodType; optional?: true };
  answer: { kind: AnswerKind; description: string };
  portal?: PortalAction<ChangeAnswers[AnswerKind]>;
}
