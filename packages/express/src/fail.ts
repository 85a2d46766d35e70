/**
 * Startup errors. Every option problem throws core's ConfigurationError, prefixed with this package's
 * name so the log says which middleware was misconfigured.
 */
import { ConfigurationError } from '@cognito-gate/core';

/** Throw a ConfigurationError for an invalid option. */
export function fail(message: string): never {
  throw new ConfigurationError(`cognito-gate/express: ${message}`);
}
