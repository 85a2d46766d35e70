// The README's standalone quickstart as a CommonJS project writes it.
const { createServer } = require('node:http');
const { createVerifier, isAuthError } = require('@cognito-gate/core');

const verifier = createVerifier({ userPoolId: 'us-east-1_Abc123', clientId: 'app-client-id' });

createServer(async (req, res) => {
  try {
    const auth = await verifier.verifyAuthorization(req.headers.authorization, { scopes: 'orders/read' });
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ sub: auth.sub }));
  } catch (error) {
    if (!isAuthError(error)) return void res.writeHead(500).end();
    res.writeHead(error.status, { ...error.headers, 'content-type': 'application/json' });
    res.end(JSON.stringify(error.toJSON()));
  }
}).listen(Number(process.env.PORT));
