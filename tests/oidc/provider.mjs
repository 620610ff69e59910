// A real OpenID Connect provider (panva/oidc-provider) for Carecoord's sign-in tests.
//
// Started by accounts/tests/test_oidc.py on a free port on 127.0.0.1:
//   PORT=…  CLIENT_ID=…  CLIENT_SECRET=…  REDIRECT_URI=…  node provider.mjs
//
// No login form: the account is the `login_hint` of the authorisation request, so a test
// chooses who signs in. A hint "unverified:x@y" gives an address the provider has not
// verified; "mfa:x@y" signs in with MFA (amr ["pwd", "mfa"]). Consent is granted at once.
//
// POST /_test/tamper {"aud": "..."} makes the NEXT token response carry an ID token for
// another audience (properly signed with the provider's key), to prove Carecoord refuses it.
import http from 'node:http';

import * as jose from 'jose';
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;

const { privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
const jwk = { ...(await jose.exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };

function parseHint(hint) {
  let email = hint || '';
  let verified = true;
  let mfa = false;
  if (email.startsWith('unverified:')) { verified = false; email = email.slice('unverified:'.length); }
  if (email.startsWith('mfa:')) { mfa = true; email = email.slice('mfa:'.length); }
  return { email, verified, mfa };
}

const provider = new Provider(issuer, {
  clients: [{
    client_id: process.env.CLIENT_ID,
    client_secret: process.env.CLIENT_SECRET,
    redirect_uris: [process.env.REDIRECT_URI],
    token_endpoint_auth_method: 'client_secret_post',
  }],
  jwks: { keys: [jwk] },
  cookies: { keys: ['test-only-cookie-key'] },
  claims: { openid: ['sub', 'amr'], email: ['email', 'email_verified'], profile: ['name'] },
  features: { devInteractions: { enabled: false } },
  pkce: { required: () => false },
  async findAccount(ctx, sub) {
    const { email, verified } = parseHint(sub);
    return {
      accountId: sub,
      async claims() {
        return { sub, email, email_verified: verified, name: email.split('@')[0] };
      },
    };
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
});

const tamper = {};

provider.use(async (ctx, next) => {
  if (ctx.method === 'POST' && ctx.path === '/_test/tamper') {
    const chunks = [];
    for await (const chunk of ctx.req) chunks.push(chunk);
    Object.assign(tamper, JSON.parse(Buffer.concat(chunks).toString() || '{}'));
    ctx.status = 204;
    return;
  }
  if (ctx.method === 'GET' && ctx.path.startsWith('/interaction/')) {
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    let result;
    if (details.prompt.name === 'login') {
      const { mfa } = parseHint(details.params.login_hint);
      result = { login: { accountId: details.params.login_hint, amr: mfa ? ['pwd', 'mfa'] : ['pwd'] } };
    } else {
      const grant = new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
      grant.addOIDCScope(details.params.scope);
      result = { consent: { grantId: await grant.save() } };
    }
    const redirectTo = await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: false });
    ctx.redirect(redirectTo);
    return;
  }
  await next();
  if (ctx.path === '/token' && tamper.aud && ctx.body && ctx.body.id_token) {
    const claims = jose.decodeJwt(ctx.body.id_token);
    claims.aud = tamper.aud;
    ctx.body = {
      ...ctx.body,
      id_token: await new jose.SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'test-key' }).sign(privateKey),
    };
    delete tamper.aud;
  }
});

http.createServer(provider.callback()).listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider ready on ${issuer}`);
});
