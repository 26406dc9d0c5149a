import crypto from 'node:crypto';
import type http from 'node:http';
import express from 'express';
import { freePort } from './free-port';

const base64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/**
 * A minimal OpenID Connect provider on a free loopback port, for the portal's sign-in test: discovery,
 * an authorization endpoint that signs in `who` at once, a token endpoint that checks the code, the
 * client's secret and the PKCE verifier, and an RS256 ID token with the nonce and `who`'s claims (read
 * when the token is made, so a test can change them): `sub` is the email unless given, and the email is
 * verified unless `email_verified` says otherwise (`null`: the claim is left out).
 */
export async function fakeOidcProvider(
  who: { email: string; email_verified?: boolean | null; sub?: string; oid?: string; tid?: string },
  client = { id: 'portal', secret: 'portal-secret' },
) {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256', use: 'sig' };
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const codes = new Map<string, { nonce: string; challenge: string; redirectUri: string }>();
  const app = express();
  app.use(express.urlencoded({ extended: false }));
  app.get('/.well-known/openid-configuration', (_req, res) => {
    res.json({
      issuer,
      authorization_endpoint: `${issuer}/authorize`,
      token_endpoint: `${issuer}/token`,
      jwks_uri: `${issuer}/jwks`,
      response_types_supported: ['code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    });
  });
  app.get('/jwks', (_req, res) => void res.json({ keys: [jwk] }));
  app.get('/authorize', (req, res) => {
    const q = req.query as Record<string, string>;
    if (q.client_id !== client.id || q.code_challenge_method !== 'S256')
      return void res.status(400).send('bad request');
    const code = crypto.randomUUID();
    codes.set(code, { nonce: q.nonce!, challenge: q.code_challenge!, redirectUri: q.redirect_uri! });
    const back = new URL(q.redirect_uri!);
    back.searchParams.set('code', code);
    back.searchParams.set('state', q.state!);
    res.redirect(302, back.href);
  });
  app.post('/token', (req, res) => {
    const body = req.body as Record<string, string>;
    const basic = Buffer.from((req.get('authorization') ?? '').replace(/^Basic /, ''), 'base64').toString();
    const [id, secret] = basic
      ? basic.split(':').map(decodeURIComponent)
      : [body.client_id, body.client_secret];
    const grant = codes.get(body.code ?? '');
    codes.delete(body.code ?? '');
    const challenge = base64url(
      crypto
        .createHash('sha256')
        .update(body.code_verifier ?? '')
        .digest(),
    );
    if (id !== client.id || secret !== client.secret || !grant || grant.challenge !== challenge) {
      return void res.status(400).json({ error: 'invalid_grant' });
    }
    const now = Math.floor(Date.now() / 1000);
    const header = base64url(JSON.stringify({ alg: 'RS256', kid: 'k1', typ: 'JWT' }));
    const claims = base64url(
      JSON.stringify({
        iss: issuer,
        sub: who.sub ?? who.email,
        aud: client.id,
        iat: now,
        exp: now + 300,
        nonce: grant.nonce,
        email: who.email,
        ...(who.email_verified === null ? {} : { email_verified: who.email_verified ?? true }),
        ...(who.oid ? { oid: who.oid } : {}),
        ...(who.tid ? { tid: who.tid } : {}),
      }),
    );
    const signature = base64url(crypto.sign('sha256', Buffer.from(`${header}.${claims}`), privateKey));
    res.json({
      access_token: crypto.randomUUID(),
      token_type: 'Bearer',
      expires_in: 300,
      id_token: `${header}.${claims}.${signature}`,
    });
  });
  const server = await new Promise<http.Server>((resolve) => {
    const s = app.listen(port, '127.0.0.1', () => resolve(s));
  });
  return { issuer, client, close: () => new Promise((resolve) => server.close(resolve)) };
}
