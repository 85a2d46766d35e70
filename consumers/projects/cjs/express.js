// The README's Express quickstart as a CommonJS project writes it.
const express = require('express');
const { cognitoAuth, requireAuth } = require('@cognito-gate/express');

const app = express();
app.use(cognitoAuth({ userPoolId: 'us-east-1_Abc123', clientId: 'app-client-id', exclude: ['/health'] }));

app.get('/health', (req, res) => res.json({ ok: true }));
app.get('/me', (req, res) => res.json({ sub: req.auth?.sub, groups: req.auth?.groups }));
app.get('/admin', requireAuth({ groups: 'admin' }), (req, res) => res.json({ users: [] }));
app.listen(Number(process.env.PORT));
