/**
 * Claim values as API Gateway hands them to the integration, turned back into what the token held.
 * API Gateway stringifies: the REST Cognito authorizer renders `exp`/`iat` as Java dates
 * (`Tue Jun 18 15:00:04 UTC 2024`) and groups as `a,b`; the HTTP JWT authorizer renders numbers as
 * numeric strings and arrays as `[a b]`; our own context carries lists as JSON arrays (earlier
 * versions joined them with commas, which a group name may contain). Every parser here is total: an
 * unexpected shape gives `undefined` or the value unchanged, never an exception.
 */

const MONTHS: Readonly<Record<string, number>> = {
  Jan: 0,
  Feb: 1,
  Mar: 2,
  Apr: 3,
  May: 4,
  Jun: 5,
  Jul: 6,
  Aug: 7,
  Sep: 8,
  Oct: 9,
  Nov: 10,
  Dec: 11,
};

// Java's Date.toString() in UTC, as API Gateway writes time claims: "Tue Jun 18 15:00:04 UTC 2024".
const JAVA_DATE = /^[A-Z][a-z]{2} ([A-Z][a-z]{2}) (\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (?:UTC|GMT) (\d{4})$/;
const INTEGER = /^-?\d{1,15}$/;

/**
 * Epoch seconds from a number, a numeric string or API Gateway's date rendering.
 *
 * @example
 * parseEpochSeconds('Tue Jun 18 15:00:04 UTC 2024') // 1718722804
 * parseEpochSeconds('1718722804')                   // 1718722804
 */
export function parseEpochSeconds(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (INTEGER.test(text)) return Number(text);
  const match = JAVA_DATE.exec(text);
  if (match === null) return undefined;
  const [, month = '', day, hours, minutes, seconds, year] = match;
  const monthIndex = MONTHS[month];
  if (monthIndex === undefined) return undefined;
  const ms = Date.UTC(Number(year), monthIndex, Number(day), Number(hours), Number(minutes), Number(seconds));
  return Number.isNaN(ms) ? undefined : ms / 1000;
}

/** `true`/`false` from a boolean or its string rendering. */
export function parseBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}

function fromJsonArray(text: string): string[] | undefined {
  if (!text.startsWith('[')) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) && parsed.every((item) => typeof item === 'string') ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A list claim in any of its renderings: an array, a JSON array of strings (tried first: it is the
 * only one that round-trips every name), `[a b]`, `a,b` or `a b`. `separators` says which
 * characters split a plain string: groups use commas and whitespace (group names cannot contain
 * whitespace), scopes whitespace only (a scope may contain a comma).
 *
 * @example
 * parseList('[admin dev]', /[\s,]+/) // ['admin', 'dev']
 * parseList('Admin', /[\s,]+/)       // ['Admin']
 */
export function parseList(value: unknown, separators: RegExp): string[] {
  if (Array.isArray(value))
    return value.filter((item): item is string => typeof item === 'string' && item !== '');
  if (typeof value !== 'string') return [];
  let text = value.trim();
  const json = fromJsonArray(text);
  if (json !== undefined) return json.filter((item) => item !== '');
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1);
  return text.split(separators).filter((item) => item !== '');
}

export const GROUP_SPLIT = /[\s,]+/;
export const SCOPE_SPLIT = /\s+/;

const TIME_CLAIMS = ['exp', 'iat', 'nbf', 'auth_time'];
const BOOLEAN_CLAIMS = ['email_verified', 'phone_number_verified'];
const LIST_CLAIMS = ['cognito:groups', 'cognito:roles'];

/**
 * A copy of `claims` with the types a verified token has: times in epoch seconds, verified flags as
 * booleans, `version` as a number, `cognito:groups` / `cognito:roles` as arrays. Other values, such
 * as `custom:*` attributes, are kept as delivered.
 *
 * @example
 * normalizeClaims({ exp: 'Tue Jun 18 15:00:04 UTC 2024', 'cognito:groups': 'Admin' })
 * // { exp: 1718722804, 'cognito:groups': ['Admin'] }
 */
export function normalizeClaims(claims: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const key of Object.keys(claims)) {
    if (key === '__proto__') continue;
    result[key] = claims[key];
  }
  for (const key of TIME_CLAIMS) {
    if (Object.hasOwn(result, key)) result[key] = parseEpochSeconds(result[key]) ?? result[key];
  }
  for (const key of BOOLEAN_CLAIMS) {
    if (Object.hasOwn(result, key)) result[key] = parseBoolean(result[key]) ?? result[key];
  }
  if (typeof result.version === 'string' && INTEGER.test(result.version))
    result.version = Number(result.version);
  for (const key of LIST_CLAIMS) {
    if (Object.hasOwn(result, key)) result[key] = parseList(result[key], GROUP_SPLIT);
  }
  return result;
}
