/**
 * Every value an API Gateway event holds for one header or query parameter. REST and payload 1.0
 * events keep the client's casing, so `Authorization` and `authorization` can both be keys of
 * `headers`, and `multiValueHeaders` holds each repeat: reading only the first match would let a
 * request carry two credentials and have us judge whichever came first. We collect them all, and
 * `singleValue` refuses a name whose values differ (equal repeats are harmless: some proxies
 * duplicate headers). A value of the wrong type is a malformed request, never a TypeError.
 */
import { AuthError } from '@cognito-gate/core';

type Fields = Readonly<Record<string, unknown>>;

function malformed(detail: string): AuthError {
  return new AuthError('invalid_request', { detail });
}

/** The map, or `undefined` when absent (the console tester sends `null`); anything else is malformed. */
function mapOf(value: unknown, field: string): Fields | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw malformed(`${field} is not a map`);
  return value as Fields;
}

function pushSingle(values: string[], value: unknown, field: string): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'string') throw malformed(`${field} holds a value that is not text`);
  values.push(value);
}

function pushMulti(values: string[], list: unknown, field: string): void {
  if (list === undefined || list === null) return;
  if (!Array.isArray(list)) throw malformed(`${field} holds a value that is not a list`);
  for (const value of list) {
    if (typeof value !== 'string') throw malformed(`${field} holds a value that is not text`);
    values.push(value);
  }
}

/**
 * Own keys equal to `name`, or, with `ignoreCase`, equal to the lower-case `name` in ASCII case only
 * (`toLowerCase` alone would also fold the Kelvin sign into `k`); header names are printable ASCII.
 */
function matchingKeys(map: Fields, name: string, ignoreCase: boolean): string[] {
  if (!ignoreCase) return Object.hasOwn(map, name) ? [name] : [];
  return Object.keys(map).filter(
    (key) => key.length === name.length && key.toLowerCase() === name && /^[!-~]*$/.test(key),
  );
}

function collect(
  single: unknown,
  multi: unknown,
  fields: readonly [string, string],
  name: string,
  ignoreCase: boolean,
): string[] {
  const values: string[] = [];
  const singleMap = mapOf(single, fields[0]);
  if (singleMap !== undefined) {
    for (const key of matchingKeys(singleMap, name, ignoreCase))
      pushSingle(values, singleMap[key], fields[0]);
  }
  const multiMap = mapOf(multi, fields[1]);
  if (multiMap !== undefined) {
    for (const key of matchingKeys(multiMap, name, ignoreCase)) pushMulti(values, multiMap[key], fields[1]);
  }
  return values;
}

/**
 * Every value of header `lower` (lower case) in `headers` and `multiValueHeaders`, in any casing.
 *
 * @example
 * headerValues({ headers: { Authorization: 'a', authorization: 'b' } }, 'authorization') // ['a', 'b']
 */
export function headerValues(
  event: { readonly headers?: unknown; readonly multiValueHeaders?: unknown },
  lower: string,
): string[] {
  return collect(event.headers, event.multiValueHeaders, ['headers', 'multiValueHeaders'], lower, true);
}

/**
 * Every value of query parameter `name` (case-sensitive) in both query maps.
 *
 * @example
 * queryValues({ multiValueQueryStringParameters: { token: ['a', 'b'] } }, 'token') // ['a', 'b']
 */
export function queryValues(
  event: { readonly queryStringParameters?: unknown; readonly multiValueQueryStringParameters?: unknown },
  name: string,
): string[] {
  return collect(
    event.queryStringParameters,
    event.multiValueQueryStringParameters,
    ['queryStringParameters', 'multiValueQueryStringParameters'],
    name,
    false,
  );
}

/**
 * The one value of a list, `undefined` for none; `invalid_request` when two values differ.
 *
 * @example
 * singleValue(['Bearer a', 'Bearer a'], 'Authorization header') // 'Bearer a'
 */
export function singleValue(values: readonly string[], what: string): string | undefined {
  const first = values[0];
  for (let i = 1; i < values.length; i++) {
    if (values[i] !== first) throw malformed(`several different ${what} values`);
  }
  return first;
}
