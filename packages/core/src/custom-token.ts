/**
 * Tokens read by an application's own getter (a cookie, another header): shared by the adapters so
 * a getter that throws or returns nonsense is a client error (400) everywhere, never a 500.
 */
import { AuthError, isAuthError } from './errors.js';
import { ignoreRejection, isThenable } from './thenable.js';

/**
 * Run a user-supplied token getter. Returns the token, or `undefined` when the getter found none
 * (`undefined`, `null` or `''`). An AuthError it throws passes through; any other throw, a
 * promise (its rejection handled) or another non-string result becomes `invalid_request`.
 *
 * @example
 * const token = readCustomToken((req) => req.cookies.session, req);
 */
export function readCustomToken<Input>(getter: (input: Input) => unknown, input: Input): string | undefined {
  let value: unknown;
  try {
    value = getter(input);
  } catch (error) {
    if (isAuthError(error)) throw error;
    throw new AuthError('invalid_request', { detail: 'getToken threw', cause: error });
  }
  if (value === undefined || value === null || value === '') return undefined;
  if (isThenable(value)) {
    // Getters answer synchronously: a promise is a wrong answer, and its eventual rejection must
    // not surface as an unhandled rejection (which ends a Node process).
    ignoreRejection(value);
    throw new AuthError('invalid_request', { detail: 'getToken returned a promise' });
  }
  if (typeof value !== 'string')
    throw new AuthError('invalid_request', { detail: 'getToken returned a non-string' });
  return value;
}
