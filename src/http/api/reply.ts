import type { Response } from 'express';
import type { z } from 'zod';
import type { AnswerSchema } from './schemas/responses';

/**
 * Sends `body` as JSON with `status`. The schema is the one the OpenAPI document gives for this answer
 * (schemas/responses.ts): `body` must be of its type, so a route cannot answer what the document does not say.
 */
export function reply<S extends AnswerSchema>(
  res: Response,
  _schema: S,
  body: z.output<S>,
  status = 200,
): void {
  res.status(status).json(body);
}
