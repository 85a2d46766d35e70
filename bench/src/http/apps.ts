/**
 * The servers compared in the HTTP benchmark, each one route `GET /me` answering the caller's sub.
 * Every authenticated variant verifies RS256 Cognito access tokens against the same JWKS.
 */
import { cognitoAuth } from '@cognito-gate/express';
import { cognitoGate } from '@cognito-gate/fastify';
import fastifyJwt from '@fastify/jwt';
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import express, { type NextFunction, type Request, type Response } from 'express';
import { expressjwt } from 'express-jwt';
import Fastify, { type FastifyInstance } from 'fastify';
import jwksRsa from 'jwks-rsa';
import { CLIENT_ID, ISSUER, POOL_ID } from '../fixtures.js';

export interface AppContext {
  readonly jwksUri: string;
  readonly jwks: { keys: Record<string, unknown>[] };
  readonly publicPem: string;
}

export const EXPRESS_VARIANTS = [
  'none',
  'cognito-gate',
  'cognito-gate-nocache',
  'aws-jwt-verify',
  'express-jwt',
] as const;
export const FASTIFY_VARIANTS = [
  'none',
  'cognito-gate',
  'cognito-gate-nocache',
  'aws-jwt-verify',
  'fastify-jwt',
] as const;

const verifierOptions = (ctx: AppContext, cache: boolean) => ({
  userPoolId: POOL_ID,
  clientId: CLIENT_ID,
  jwks: process.env.BENCH_PRELOAD === '1' ? { keys: ctx.jwks, fetch: false as const } : { uri: ctx.jwksUri },
  ...(cache ? {} : { cache: false as const }),
});

function awsVerifier(ctx: AppContext) {
  const verifier = CognitoJwtVerifier.create({
    userPoolId: POOL_ID,
    tokenUse: 'access',
    clientId: CLIENT_ID,
  });
  verifier.cacheJwks(ctx.jwks as never);
  return verifier;
}

export function expressApp(variant: string, ctx: AppContext): express.Express {
  const app = express();
  app.disable('x-powered-by');
  if (variant === 'cognito-gate' || variant === 'cognito-gate-nocache') {
    app.use(cognitoAuth(verifierOptions(ctx, variant === 'cognito-gate')));
    app.get('/me', (req, res) => {
      res.json({ sub: req.auth?.sub });
    });
    return app;
  }
  if (variant === 'aws-jwt-verify') {
    // The middleware people write around aws-jwt-verify (its README's pattern, with 401s).
    const verifier = awsVerifier(ctx);
    app.use(async (req: Request, res: Response, next: NextFunction) => {
      try {
        const token = req.headers.authorization?.replace(/^Bearer /i, '') ?? '';
        (req as unknown as { claims: unknown }).claims = await verifier.verify(token);
        next();
      } catch {
        res.status(401).json({ message: 'Unauthorized' });
      }
    });
    app.get('/me', (req, res) => {
      res.json({ sub: (req as unknown as { claims: { sub: string } }).claims.sub });
    });
    return app;
  }
  if (variant === 'express-jwt') {
    app.use(
      expressjwt({
        secret: jwksRsa.expressJwtSecret({ jwksUri: ctx.jwksUri, cache: true, rateLimit: true }) as never,
        algorithms: ['RS256'],
        issuer: ISSUER,
      }),
    );
    app.get('/me', (req, res) => {
      res.json({ sub: (req as unknown as { auth: { sub: string } }).auth.sub });
    });
    return app;
  }
  app.get('/me', (_req, res) => {
    res.json({ sub: 'anonymous' });
  });
  return app;
}

export async function fastifyApp(variant: string, ctx: AppContext): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  if (variant === 'cognito-gate' || variant === 'cognito-gate-nocache') {
    await app.register(cognitoGate, {
      ...verifierOptions(ctx, variant === 'cognito-gate'),
      defaultAuth: true,
    });
    app.get('/me', async (request) => ({ sub: request.auth?.sub }));
  } else if (variant === 'aws-jwt-verify') {
    const verifier = awsVerifier(ctx);
    app.decorateRequest('claims', null);
    app.addHook('onRequest', async (request, reply) => {
      try {
        const token = request.headers.authorization?.replace(/^Bearer /i, '') ?? '';
        (request as unknown as { claims: unknown }).claims = await verifier.verify(token);
      } catch {
        return reply.code(401).send({ message: 'Unauthorized' });
      }
    });
    app.get('/me', async (request) => ({
      sub: (request as unknown as { claims: { sub: string } }).claims.sub,
    }));
  } else if (variant === 'fastify-jwt') {
    // @fastify/jwt has no JWKS support: it gets the public key directly (its best case).
    await app.register(fastifyJwt, { secret: { public: ctx.publicPem }, verify: { allowedIss: ISSUER } });
    app.addHook('onRequest', async (request, reply) => {
      try {
        await request.jwtVerify();
      } catch {
        return reply.code(401).send({ message: 'Unauthorized' });
      }
    });
    app.get('/me', async (request) => ({ sub: (request.user as { sub: string }).sub }));
  } else {
    app.get('/me', async () => ({ sub: 'anonymous' }));
  }
  return app;
}
