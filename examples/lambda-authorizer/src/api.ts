/**
 * The API behind the authorizer (bundled to dist/api.mjs). It does not verify the token again: API
 * Gateway ran the authorizer, and `getAuth` reads the identity it forwarded. This function is only
 * reachable through that API (no function URL), which is what makes that trust sound.
 */
import { getAuth } from '@cognito-gate/lambda';

interface ProxyEvent {
  readonly httpMethod?: string;
  readonly path?: string;
  readonly requestContext?: unknown;
}

/**
 * `GET /me` and the orders routes: echo who is calling.
 *
 * @example
 * await handler({ requestContext: { authorizer: { principalId: 'sub', sub: 'sub' } } })
 */
export async function handler(event: ProxyEvent): Promise<{ statusCode: number; body: string }> {
  const auth = getAuth(event);
  // Defence in depth: without an authorizer identity, this route was misconfigured.
  if (auth === undefined) return { statusCode: 401, body: JSON.stringify({ message: 'Unauthorized' }) };
  return {
    statusCode: 200,
    body: JSON.stringify({
      sub: auth.sub,
      username: auth.username,
      groups: auth.groups,
      scopes: auth.scopes,
      route: `${event.httpMethod ?? ''} ${event.path ?? ''}`.trim(),
    }),
  };
}
