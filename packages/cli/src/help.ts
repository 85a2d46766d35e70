/**
 * `--help` texts. Kept together so they read as one manual and stay consistent with each other and
 * with the README; every option a command parses is listed in its text (a test checks that).
 */

/** The package version (`cognito-gate --version`); a test keeps it equal to package.json's. */
export const VERSION = '0.1.0';

const TOKEN_NOTE = `<token> may be '-' or left out to read it from stdin; a leading 'Bearer ' is ignored.`;

const MAIN = `cognito-gate ${VERSION}: debug Amazon Cognito tokens

Usage
  cognito-gate verify <token> --user-pool-id <id> --client-id <id> [options]
  cognito-gate decode <token> [options]
  cognito-gate mint --user-pool-id <id> [options]

Commands
  verify    check a token as an API would, and say exactly why it is rejected
  decode    show a token's header and claims with readable times (NOT VERIFIED)
  mint      make a local test token and the JWKS that verifies it

${TOKEN_NOTE}
Run 'cognito-gate <command> --help' for the options of a command.

Options
  --json          one JSON object on stdout, for scripts (no colours)
  --no-color      no colours (colours are used only on a terminal, and never with NO_COLOR set)
  -h, --help      show help
  -v, --version   show the version

Exit codes
  0  token valid, or success
  1  token rejected (verify), or not decodable (decode)
  2  usage error: unknown command or option, missing option, unreadable file
`;

const VERIFY = `Usage: cognito-gate verify <token> --user-pool-id <id> (--client-id <id> | --any-client) [options]

Verifies the token exactly as an API using @cognito-gate/core would: signature against the pool's
JWKS, issuer, expiry, token_use, client and audience, then the required groups, scopes and step-up
(acr, amr, sign-in age). Prints VALID, or REJECTED with the error code, the HTTP status an API
would answer, why, and the decoded token.

Options
  --user-pool-id <id>     the user pool, e.g. us-east-1_Abc123 (comma-separate or repeat for several)
  --client-id <id>        the accepted app client id(s) (comma-separate or repeat)
  --any-client            accept tokens of every app client instead
  --token-use <use>       access (default), id or any
  --groups <a,b>          groups the token must all be in
  --scopes <a,b>          scopes the token must all have
  --acr <a,b>             step-up: acr values accepted (the token's acr must be one of them)
  --amr <a,b>             step-up: amr methods the token must all have (e.g. mfa)
  --max-age <s>           step-up: largest accepted age of the sign-in (auth_time), in seconds
  --audience <a,b>        resource servers an access token's aud must name one of (RFC 8707)
  --jwks-file <path>      verify offline with this JWKS file (or the output of 'mint --json')
  --jwks-uri <url>        fetch the JWKS here instead (https, or http on loopback: local emulators)
  --clock-tolerance <s>   leeway in seconds for exp, nbf and iat (default 0)
  --now <time>            verify as of this time: ISO date, or epoch seconds
  --json                  print { valid, code, status, explanation, header, claims }
  --no-color              no colours
  -h, --help              show this help

Without --jwks-file or --jwks-uri the keys come from the pool's endpoint,
https://cognito-idp.<region>.amazonaws.com/<user-pool-id>/.well-known/jwks.json
(amazonaws.com.cn in the China regions).
${TOKEN_NOTE}

Exit codes: 0 valid, 1 rejected, 2 usage error.

Examples
  cognito-gate verify eyJraWQ... --user-pool-id us-east-1_Abc123 --client-id 1example23456789
  pbpaste | cognito-gate verify --user-pool-id us-east-1_Abc123 --any-client --token-use id
  cognito-gate verify "$TOKEN" --user-pool-id us-east-1_Abc123 --client-id abc \\
    --jwks-file jwks.json --now 2026-11-26T10:00:00Z --json
`;

const DECODE = `Usage: cognito-gate decode <token> [options]

Shows the header and claims of a token, with exp, iat, auth_time and nbf as dates and the time to
expiry. NOTHING IS VERIFIED: anyone can write a token that decodes; use 'cognito-gate verify' to
check one. Broken tokens are shown as far as they can be read, with what is wrong.

Options
  --now <time>    show times relative to this instant: ISO date, or epoch seconds
  --json          print { verified: false, header, claims, times, expired, expiresInSeconds, problem }
  --no-color      no colours
  -h, --help      show this help

${TOKEN_NOTE}

Exit codes: 0 decoded, 1 not a well-formed token, 2 usage error.
`;

const MINT = `Usage: cognito-gate mint --user-pool-id <id> [options]

Makes a local test token shaped exactly like the pool's (issuer, claims, header), signed with a
fresh key pair, and the JWKS that verifies it. No AWS call is made; the token is accepted only
where that JWKS is configured (e.g. 'cognito-gate verify --jwks-file', or jwks.keys in tests).

Options
  --user-pool-id <id>     the user pool the token claims to come from, e.g. us-east-1_Abc123
  --client-id <id>        the app client (default testclient0000000000000001)
  --token-use <use>       access (default), id, or m2m (client-credentials access token)
  --groups <a,b>          cognito:groups (access and id tokens)
  --scopes <a,b>          scopes (access and m2m tokens)
  --expires-in <s>        lifetime in seconds (default 3600)
  --out-jwks <path>       write the JWKS to this file instead of printing it
  --json                  print { token, jwks, tokenUse, userPoolId, clientId, issuer, expiresAt, jwksFile }
  --no-color              no colours
  -h, --help              show this help

The token (and the JWKS, unless --out-jwks) go to stdout, notes to stderr, so
TOKEN=$(cognito-gate mint --user-pool-id us-east-1_Abc123 --out-jwks jwks.json) works.

Exit codes: 0 minted, 2 usage error.

Example
  cognito-gate mint --user-pool-id us-east-1_Abc123 --groups admin --out-jwks jwks.json
`;

/** Help text per command, and the overview. */
export const HELP = Object.freeze({ main: MAIN, verify: VERIFY, decode: DECODE, mint: MINT });

export type HelpTopic = keyof typeof HELP;
