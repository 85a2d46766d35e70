/**
 * `cognito-gate`: a command line for people debugging Amazon Cognito tokens (`verify`, `decode`,
 * `mint`). The executable is `bin.ts`; this module exposes the same commands for programs and tests.
 */
export { EXIT, UsageError } from './args.js';
export { type DecodeResult, decodeCommand, decodeResult } from './decode-command.js';
export {
  type Expectations,
  type ExplainContext,
  explainRejection,
  explainSuccess,
  type JwksView,
} from './explain.js';
export { HELP, type HelpTopic, VERSION } from './help.js';
export { type InspectedToken, inspectToken } from './inspect-token.js';
export { type CliIo, normalizeToken, processIo, readToken, type TextSink } from './io.js';
export { main } from './main.js';
export { type MintResult, type MintTokenUse, mintCommand } from './mint-command.js';
export { formatDuration, isoDate, relativeTime } from './time.js';
export { type VerifyResult, verifyCommand } from './verify-command.js';
