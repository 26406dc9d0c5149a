import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../../logger';
import { OperationError } from '../../operations/errors';
import { toProblem, type ProblemObserver } from '../problem-of';
import { Problem } from '../problem';
import { SCIM_TYPE } from '../scim-media';

export { SCIM_TYPE };
export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** RFC 7644 3.12's scimType: what kind of bad request (400) or conflict (409) it is. */
export type ScimType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive';

/** An error of the SCIM protocol itself, answered in SCIM's error shape. */
export class ScimError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly scimType?: ScimType,
  ) {
    super(detail);
  }
}

/** The engine's field names as a SCIM client knows them (docs/scim.md), for the errors that name a field (R4). */
const SCIM_NAME: Record<string, string> = {
  title: 'name.honorificPrefix',
  firstName: 'name.givenName',
  lastName: 'name.familyName',
  jobTitle: 'title',
  mobile: 'phoneNumbers[type eq "mobile"].value',
  telephone: 'phoneNumbers[type eq "work"].value',
  pager: 'phoneNumbers[type eq "pager"].value',
  fax: 'phoneNumbers[type eq "fax"].value',
  organisationalUnit: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department',
  organisation: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:organization',
  esrAssignmentNumber: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber',
};

const scimField = (path: string) => SCIM_NAME[path] ?? path;

/** An error in SCIM's shape (RFC 7644 3.12): every field at fault named in the detail, by its SCIM name. */
function scimErrorOf(err: unknown): {
  status: number;
  detail: string;
  scimType?: ScimType;
  problem: Problem;
} {
  if (err instanceof ScimError) {
    return {
      ...err,
      status: err.status,
      detail: err.detail,
      problem: new Problem(err.status, 'SCIM', err.detail),
    };
  }
  const problem = toProblem(err);
  let detail = problem.detail ?? problem.title;
  if (problem.errors?.length) {
    detail = `${detail.replace(/listed in errors/, 'named here')} ${problem.errors
      .map((e) => `${scimField(e.path)}: ${e.message}`)
      .join('; ')}`;
  }
  let scimType: ScimType | undefined;
  if (problem.status === 400) scimType = 'invalidValue';
  if (err instanceof OperationError && err.kind === 'conflict') scimType = 'uniqueness';
  return { status: problem.status, detail, scimType, problem };
}

export function sendScimError(res: Response, status: number, detail: string, scimType?: ScimType): void {
  res
    .status(status)
    .type(SCIM_TYPE)
    .json({ schemas: [ERROR_SCHEMA], status: String(status), ...(scimType ? { scimType } : {}), detail });
}

/** Every error on /scim/v2 in SCIM's shape; 5xx logged, never shown. */
export function scimErrorHandler(logger: Logger, observe?: ProblemObserver) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const { status, detail, scimType, problem } = scimErrorOf(err);
    if (status >= 500) (req.log ?? logger).error({ err }, 'request failed');
    observe?.(res, problem, err);
    res.set(problem.headers);
    const extra = err instanceof OperationError ? (err.extra as { existing?: { id?: string } }) : {};
    const existing = extra.existing?.id;
    sendScimError(res, status, existing ? `${detail} Existing id: ${existing}.` : detail, scimType);
  };
}
