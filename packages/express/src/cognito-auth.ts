/**
 * `cognitoAuth()`: the application- or router-level middleware that authenticates requests with
 * Amazon Cognito tokens and sets `req.auth`. Route rules come after it, with `requireAuth()`.
 */
import { type CognitoAuthMiddleware, createAuthenticator } from './authenticate.js';
import { type CognitoAuthOptions, resolveAuthContext } from './options.js';

/**
 * Authenticate every request that reaches it: a valid token sets `req.auth`; anything else is
 * answered with its AuthError (401, 400, 503…) or, with `errors: 'next'`, handed to `next(err)`.
 * In `mode: 'optional'` a request without a token passes with `req.auth` undefined, but an invalid
 * token is still rejected. `exclude`d paths pass untouched. CORS preflights are authenticated like
 * any request: mount CORS middleware before this one, or set `preflight: 'respond'`.
 * Options are validated now: a mistake throws a ConfigurationError at startup.
 *
 * @example
 * const app = express();
 * app.use(cognitoAuth({ userPoolId: 'us-east-1_Abc123', clientId: 'app-client-id', exclude: ['/health'] }));
 * app.get('/me', (req, res) => res.json({ sub: req.auth?.sub }));
 */
export function cognitoAuth(options: CognitoAuthOptions): CognitoAuthMiddleware {
  return createAuthenticator(resolveAuthContext(options, undefined));
}
