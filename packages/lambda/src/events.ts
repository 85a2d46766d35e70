/**
 * The API Gateway event and result shapes this package reads and writes. They are declared here,
 * structurally and with only the fields we use, instead of imported from `@types/aws-lambda`: users
 * need no extra type package, and every map may be `null` because the console tester sends nulls.
 * The `@types/aws-lambda` events are assignable to these (the tests check it).
 */

/** A header or query-string map as API Gateway delivers it; the console tester sends `null`. */
export type StringMap = { readonly [name: string]: string | undefined } | null | undefined;

/** A multi-value header or query-string map (REST and HTTP payload 1.0 only). */
export type MultiValueMap = { readonly [name: string]: readonly string[] | undefined } | null | undefined;

/** Fields a REQUEST-style event may carry the token in. */
export interface RequestFields {
  readonly headers?: StringMap;
  readonly multiValueHeaders?: MultiValueMap;
  readonly queryStringParameters?: StringMap;
  readonly multiValueQueryStringParameters?: MultiValueMap;
  /** HTTP API payload 2.0: `name=value` strings. */
  readonly cookies?: readonly string[] | null;
}

/** REST API TOKEN authorizer input: `authorizationToken` is the whole header value. */
export interface RestTokenAuthorizerEvent {
  readonly type: 'TOKEN';
  readonly authorizationToken: string;
  readonly methodArn: string;
}

/** REST API REQUEST authorizer input (also what HTTP API payload 1.0 looks like). */
export interface RestRequestAuthorizerEvent extends RequestFields {
  readonly type: 'REQUEST';
  readonly methodArn: string;
  readonly resource?: string;
  readonly path?: string;
  readonly httpMethod?: string;
  readonly version?: string;
}

/** Either REST authorizer input. */
export type RestAuthorizerEvent = RestTokenAuthorizerEvent | RestRequestAuthorizerEvent;

/** HTTP API Lambda authorizer input, payload format 2.0. */
export interface HttpAuthorizerV2Event extends RequestFields {
  /** `'2.0'`. */
  readonly version: string;
  readonly type: 'REQUEST';
  readonly routeArn: string;
  readonly routeKey?: string;
  readonly identitySource?: readonly string[] | null;
}

/** HTTP API Lambda authorizer input, payload format 1.0 (the REST REQUEST shape plus `version`). */
export interface HttpAuthorizerV1Event extends RequestFields {
  readonly version: '1.0';
  readonly type: 'REQUEST';
  readonly methodArn: string;
  readonly identitySource?: string | null;
}

/** Either HTTP API authorizer payload. */
export type HttpAuthorizerEvent = HttpAuthorizerV2Event | HttpAuthorizerV1Event;

/** WebSocket `$connect` REQUEST authorizer input (`methodArn` ends in `/{stage}/$connect`). */
export interface WebSocketAuthorizerEvent extends RequestFields {
  readonly type: 'REQUEST';
  readonly methodArn: string;
}

/** A value API Gateway accepts in an authorizer `context`: nothing nested, no arrays. */
export type ContextValue = string | number | boolean;

/** The flat `context` map of an authorizer result. */
export type AuthorizerContext = Record<string, ContextValue>;

/** One IAM statement of an authorizer policy. */
export interface PolicyStatement {
  readonly Action: 'execute-api:Invoke';
  readonly Effect: 'Allow' | 'Deny';
  readonly Resource: string | string[];
}

/** The IAM policy document of an authorizer result. */
export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: PolicyStatement[];
}

/** REST, WebSocket and HTTP (IAM format) authorizer result. */
export interface PolicyAuthorizerResult {
  readonly principalId: string;
  readonly policyDocument: PolicyDocument;
  readonly context?: AuthorizerContext;
  readonly usageIdentifierKey?: string;
}

/** HTTP API simple response (payload 2.0 with `enableSimpleResponses`). */
export interface SimpleAuthorizerResult {
  readonly isAuthorized: boolean;
  readonly context?: AuthorizerContext;
}

/** A Lambda proxy response; valid for REST (payload 1.0) and HTTP API (payload 2.0) integrations. */
export interface ProxyResult {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}
