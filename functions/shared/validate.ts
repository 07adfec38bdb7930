/** Request validation with field-level errors, on the same schema checker as the event contract. */
import type { Static, TSchema } from '@sinclair/typebox';
import { schemaIssues } from '../../events/check';
import { ValidationError } from './errors';

/** Returns `value` typed by `schema`, or throws a ValidationError listing every bad field. */
export function validate<S extends TSchema>(schema: S, value: unknown, what = 'request body'): Static<S> {
  const errors = schemaIssues(schema, value);
  if (errors.length > 0)
    throw new ValidationError(`The ${what} has ${errors.length} invalid field(s)`, errors);
  return value as Static<S>;
}
