/**
 * A REST API Gateway stand-in for the Lambda authorizer example: what API Gateway does between a
 * client and the two functions of examples/lambda-authorizer/template.yaml, in process. It matches
 * the route, answers 401 itself when the `Authorization` header is missing, invokes the TOKEN
 * authorizer with a real-shaped event, turns the outcome into a status the way API Gateway does
 * (spec §2.3: `Unauthorized` → 401, other errors → 500, the IAM policy decides between the
 * integration and 403), then calls the API function with the authorizer context in
 * `requestContext.authorizer`. No result caching: every request runs the authorizer.
 */
import type { PolicyAuthorizerResult, PolicyStatement, RestTokenAuthorizerEvent } from '@cognito-gate/lambda';

/** The REST proxy event the integration receives (the fields the example API reads, and a few more). */
export interface GatewayProxyEvent {
  readonly resource: string;
  readonly path: string;
  readonly httpMethod: string;
  readonly headers: Record<string, string>;
  readonly pathParameters: Record<string, string> | null;
  readonly requestContext: {
    readonly stage: string;
    readonly resourcePath: string;
    readonly httpMethod: string;
    readonly authorizer: Record<string, string>;
  };
}

export interface RestGatewayOptions {
  /** The TOKEN authorizer (examples/lambda-authorizer `createAuthorizer(verifier)`). */
  readonly authorizer: (event: RestTokenAuthorizerEvent) => Promise<PolicyAuthorizerResult>;
  /** The API function behind every route (examples/lambda-authorizer `api.ts` `handler`). */
  readonly integration: (event: GatewayProxyEvent) => Promise<{ statusCode: number; body: string }>;
  /** Resources and methods, as in the template: `['GET /me', 'DELETE /orders/{id}']`. */
  readonly routes: readonly string[];
  readonly region: string;
  /** Headers of the UNAUTHORIZED gateway response (the template adds a `WWW-Authenticate`). */
  readonly unauthorizedHeaders?: Readonly<Record<string, string>>;
}

export interface GatewayRequest {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | undefined;
}

export interface GatewayResponse {
  readonly statusCode: number;
  /** Lower-case names. */
  readonly headers: Record<string, string>;
  readonly body: string;
  /** Whether the authorizer ran (API Gateway answers some requests before invoking it). */
  readonly authorizerInvoked: boolean;
}

const ARN_PREFIX = (region: string) => `arn:aws:execute-api:${region}:123456789012:demo0api01/prod`;

/**
 * Builds the stand-in; call the result once per client request.
 *
 * @example
 * const gateway = createRestGateway({ authorizer, integration: handler, routes: ['GET /me'], region: 'us-east-1' });
 * const res = await gateway({ method: 'GET', path: '/me', authorization: `Bearer ${token}` });
 */
export function createRestGateway(
  options: RestGatewayOptions,
): (request: GatewayRequest) => Promise<GatewayResponse> {
  const routes = options.routes.map(compileRoute);
  const prefix = ARN_PREFIX(options.region);
  const unauthorizedHeaders = { ...options.unauthorizedHeaders };

  return async function gateway(request) {
    const route = routes.find((r) => r.method === request.method && r.pattern.test(request.path));
    // API Gateway's answer for a resource or method the API does not define, token or not.
    if (route === undefined) return reply(403, { message: 'Missing Authentication Token' }, false);
    if (request.authorization === undefined || request.authorization === '') {
      return reply(401, { message: 'Unauthorized' }, false, unauthorizedHeaders);
    }
    const methodArn = `${prefix}/${request.method}${request.path}`;
    let result: PolicyAuthorizerResult;
    try {
      result = await options.authorizer({
        type: 'TOKEN',
        authorizationToken: request.authorization,
        methodArn,
      });
    } catch (error) {
      // Only this exact message becomes a 401; anything else is an authorizer failure.
      if (error instanceof Error && error.message === 'Unauthorized') {
        return reply(401, { message: 'Unauthorized' }, true, unauthorizedHeaders);
      }
      return reply(500, { message: null }, true);
    }
    if (!isWellFormed(result)) return reply(500, { message: null }, true);
    const effect = evaluatePolicy(result.policyDocument.Statement, methodArn);
    if (effect === 'deny') {
      return reply(
        403,
        { Message: 'User is not authorized to access this resource with an explicit deny' },
        true,
      );
    }
    if (effect === 'none')
      return reply(403, { Message: 'User is not authorized to access this resource' }, true);
    try {
      const response = await options.integration(proxyEvent(request, route, result));
      return {
        statusCode: response.statusCode,
        headers: { 'content-type': 'application/json' },
        body: response.body,
        authorizerInvoked: true,
      };
    } catch {
      return reply(502, { message: 'Internal server error' }, true);
    }
  };
}

/**
 * What an authorizer policy decides for `methodArn`: an explicit Deny wins over any Allow, and no
 * matching statement is an implicit deny. `*` and `?` are IAM wildcards.
 *
 * @example
 * evaluatePolicy([{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: 'arn:…/prod/*\/*' }], arn) // 'allow'
 */
export function evaluatePolicy(
  statements: readonly PolicyStatement[],
  methodArn: string,
): 'allow' | 'deny' | 'none' {
  let allowed = false;
  for (const statement of statements) {
    const actions = ([] as string[]).concat(statement.Action);
    const resources = ([] as string[]).concat(statement.Resource);
    if (!actions.some((a) => wildcard(a).test('execute-api:Invoke'))) continue;
    if (!resources.some((r) => wildcard(r).test(methodArn))) continue;
    if (statement.Effect === 'Deny') return 'deny';
    if (statement.Effect === 'Allow') allowed = true;
  }
  return allowed ? 'allow' : 'none';
}

function wildcard(pattern: string): RegExp {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`);
}

interface CompiledRoute {
  readonly method: string;
  readonly resource: string;
  readonly pattern: RegExp;
  readonly params: readonly string[];
}

function compileRoute(route: string): CompiledRoute {
  const [method = '', resource = ''] = route.split(' ');
  const params: string[] = [];
  const source = resource
    .split('/')
    .map((part) => {
      const param = /^\{(\w+)\}$/.exec(part);
      if (param === null) return part.replace(/[.+*?^${}()|[\]\\]/g, '\\$&');
      params.push(param[1]!);
      return '([^/]+)';
    })
    .join('/');
  return { method, resource, pattern: new RegExp(`^${source}$`), params };
}

/** API Gateway's checks on an authorizer response; a failure is a 500 for the client. */
function isWellFormed(result: PolicyAuthorizerResult): boolean {
  if (typeof result?.principalId !== 'string' || result.principalId === '') return false;
  const statements = result.policyDocument?.Statement;
  if (!Array.isArray(statements)) return false;
  const context = result.context ?? {};
  return Object.values(context).every((v) => ['string', 'number', 'boolean'].includes(typeof v));
}

function proxyEvent(
  request: GatewayRequest,
  route: CompiledRoute,
  result: PolicyAuthorizerResult,
): GatewayProxyEvent {
  const match = route.pattern.exec(request.path);
  const pathParameters =
    route.params.length === 0
      ? null
      : Object.fromEntries(route.params.map((name, i) => [name, match?.[i + 1] ?? '']));
  // REST API Lambda authorizers: the context reaches the integration with every value a string.
  const authorizer: Record<string, string> = { principalId: result.principalId };
  for (const [key, value] of Object.entries(result.context ?? {})) authorizer[key] = String(value);
  return {
    resource: route.resource,
    path: request.path,
    httpMethod: request.method,
    headers: { Authorization: request.authorization ?? '' },
    pathParameters,
    requestContext: { stage: 'prod', resourcePath: route.resource, httpMethod: request.method, authorizer },
  };
}

function reply(
  statusCode: number,
  body: unknown,
  authorizerInvoked: boolean,
  headers: Record<string, string> = {},
): GatewayResponse {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    authorizerInvoked,
  };
}
