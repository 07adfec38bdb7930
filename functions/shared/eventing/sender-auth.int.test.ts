/**
 * Event sender authentication on a real function (pulse on the lean host, real PostgreSQL):
 * unsigned, wrongly signed, foreign-issuer, wrong-audience, foreign-subject and replayed deliveries
 * are refused with 401/403 problem+json and change nothing; the router's signed deliveries pass.
 */
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TuoiCloudEvent } from '../../../events';
import { publicJwk, signJwt } from '../auth/jwt';
import { freshDatabase, type TestDatabase } from '../testing/pg';
import { startPulse } from '../../pulse/testing';
import { functionAudience, triggerSubject } from './identity';
import { createEventIssuer, LOCAL_EVENT_ISSUER, senderEnv } from './local-issuer';
import { fetchJwks } from './sender-auth';
import { routerToken, signedDelivery, testIssuer } from './testing';

let db: TestDatabase;
let pulse: Awaited<ReturnType<typeof startPulse>>;

beforeAll(async () => {
  db = await freshDatabase();
  pulse = await startPulse(db.url);
});
afterAll(async () => {
  await pulse.close();
  await db.drop();
});

async function state() {
  const { rows } = await db.pool.query<{ inbox: string; pulses: string; deliveries: string }>(
    `SELECT (SELECT count(*) FROM pulse.inbox) AS inbox, (SELECT count(*) FROM pulse.pulses) AS pulses,
            (SELECT coalesce(sum(deliveries), 0) FROM pulse.pulses) AS deliveries`,
  );
  return rows[0];
}

/** A pulse of our own, committed through the HTTP route, and its outbox event. */
async function emitted(): Promise<TuoiCloudEvent> {
  const res = await fetch(`${pulse.base}/pulse`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  const { id } = (await res.json()) as { id: string };
  const { rows } = await db.pool.query<{ event: TuoiCloudEvent }>(
    'SELECT event FROM pulse.outbox WHERE partition_key = $1',
    [id],
  );
  return rows[0]!.event;
}

const now = () => Math.floor(Date.now() / 1000);
const subject = triggerSubject('pulse--platform-pulse-v1');
const claims = (over: Record<string, unknown> = {}) => ({
  iss: LOCAL_EVENT_ISSUER,
  aud: [functionAudience('pulse')],
  sub: subject,
  iat: now(),
  exp: now() + 600,
  ...over,
});
const kid = testIssuer.jwks.keys[0]!.kid;
const attacker = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
/** An issuer key of our own, for the cases that need raw claims (the issuer API signs only valid ones). */
const ownKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
const signedByOwn = (c: Record<string, unknown>) => signJwt(c as never, ownKey, 'own-1');

describe('CloudEvent sender authentication', () => {
  it('the router-signed delivery passes; the token names the Trigger identity Knative would use', async () => {
    const before = await state();
    const event = await emitted();
    const token = routerToken('pulse', event.type);
    const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as {
      sub: string;
      aud: string[];
    };
    expect(payload.sub).toBe(subject);
    expect(payload.sub).toBe(
      'system:serviceaccount:tuoi:pulse--platform-pulse-v1-oidc-eventing.knative.dev-trigger',
    );
    expect(payload.aud).toEqual(['serving.knative.dev/service/tuoi/pulse']);
    const res = await signedDelivery(pulse.base, 'pulse', event);
    expect(res.status).toBe(204);
    expect(res.headers.get('x-tuoi-delivery')).toBe('processed');
    expect(Number((await state())!.inbox)).toBe(Number(before!.inbox) + 1);
  });

  it.each([
    ['no Authorization header', null, 401],
    ['a Basic credential', 'Basic dXNlcjpwYXNz', 401],
    ['garbage', 'Bearer not-a-jwt', 401],
    [
      'alg none',
      `Bearer ${Buffer.from('{"alg":"none","kid":"x"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims())).toString('base64url')}.`,
      401,
    ],
    ['a signature by another key under our kid', `Bearer ${signJwt(claims(), attacker, kid)}`, 401],
    ['a token under a kid we do not know', `Bearer ${signJwt(claims(), attacker, 'other-kid')}`, 401],
    ['a valid token for another function (audience catalog)', 'audience', 403],
    ['a valid token from a subject that is not a Trigger of pulse', 'subject', 403],
  ])('refuses %s and changes nothing', async (_name, credential, status) => {
    const event = await emitted();
    const before = await state();
    const token =
      credential === 'audience'
        ? `Bearer ${testIssuer.token(functionAudience('catalog'), subject)}`
        : credential === 'subject'
          ? `Bearer ${testIssuer.token(functionAudience('pulse'), 'system:serviceaccount:tuoi:default')}`
          : credential;
    const res = await signedDelivery(pulse.base, 'pulse', event, {
      token: null,
      headers: token ? { authorization: token } : {},
    });
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    if (status === 401) expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await res.json()).toMatchObject({ status });
    expect(await state()).toEqual(before);
  });

  it('a replayed delivery (same event, still-valid token) is a no-op through the inbox', async () => {
    const event = await emitted();
    expect((await signedDelivery(pulse.base, 'pulse', event)).headers.get('x-tuoi-delivery')).toBe(
      'processed',
    );
    const before = await state();
    const again = await signedDelivery(pulse.base, 'pulse', event);
    expect(again.status).toBe(204);
    expect(again.headers.get('x-tuoi-delivery')).toBe('duplicate');
    expect(await state()).toEqual(before);
  });
});

describe('CloudEvent sender authentication with raw claims from a trusted key', () => {
  let own: Awaited<ReturnType<typeof startPulse>>;
  beforeAll(async () => {
    own = await startPulse(db.url, {
      ...senderEnv(createEventIssuer({ privateKey: ownKey }), 'pulse'),
      EVENTS_OIDC_JWKS: JSON.stringify({ keys: [publicJwk(ownKey, 'own-1')] }),
    });
  });
  afterAll(() => own.close());

  it.each([
    // Knative reuses a token for up to 55 of its 60 minutes; once expired it is refused.
    [
      'an expired token (replayed from an old delivery)',
      { iat: now() - 700, nbf: now() - 700, exp: now() - 60 },
    ],
    ['a token not valid yet', { iat: now() + 3600, nbf: now() + 3600, exp: now() + 7200 }],
    ['another issuer, signed by a trusted key', { iss: 'https://evil.example' }],
    ['no exp', { exp: undefined }],
  ])('refuses %s with 401 and changes nothing', async (_name, over) => {
    const event = await emitted();
    const before = await state();
    const res = await signedDelivery(own.base, 'pulse', event, { token: signedByOwn(claims(over)) });
    expect(res.status).toBe(401);
    expect(await state()).toEqual(before);
  });

  it('accepts the same identity with a fresh token (within the 30 s skew, too)', async () => {
    const event = await emitted();
    const res = await signedDelivery(own.base, 'pulse', event, {
      token: signedByOwn(claims({ exp: now() - 10 })),
    });
    expect(res.status).toBe(204);
  });
});

describe('the issuer keys from a JWKS URL (as the API server serves /openid/v1/jwks)', () => {
  let server: Server;
  let url: string;
  const seen: (string | undefined)[] = [];
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(req.headers.authorization);
      if (req.headers.authorization !== 'Bearer pod-sa-token') {
        res.writeHead(401).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [{ ...publicJwk(rsa.privateKey, 'k8s-1'), use: 'sig' }] }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const addr = server.address();
    url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/openid/v1/jwks`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  it('presents the pod token file and verifies an RS256 Kubernetes-style token with the fetched key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tuoi-sa-'));
    writeFileSync(join(dir, 'token'), 'pod-sa-token\n');
    const set = await fetchJwks(url, { tokenFile: join(dir, 'token') });
    expect(set.keys[0]).toMatchObject({ kid: 'k8s-1', alg: 'RS256', kty: 'RSA' });
    await expect(fetchJwks(url)).rejects.toThrow(/401/);

    const k8s = await startPulse(db.url, {
      EVENTS_OIDC_ISSUER: 'https://kubernetes.default.svc.cluster.local',
      EVENTS_OIDC_AUDIENCE: functionAudience('pulse'),
      EVENTS_OIDC_SUBJECTS: subject,
      EVENTS_OIDC_JWKS: '',
      EVENTS_OIDC_JWKS_URL: url,
      EVENTS_OIDC_JWKS_TOKEN_FILE: join(dir, 'token'),
    });
    try {
      const event = await emitted();
      const token = signJwt(
        { ...claims(), iss: 'https://kubernetes.default.svc.cluster.local' },
        rsa.privateKey,
        'k8s-1',
      );
      expect(
        (await signedDelivery(k8s.base, 'pulse', event, { token: signJwt(claims(), attacker, 'k8s-1') }))
          .status,
      ).toBe(401);
      expect((await signedDelivery(k8s.base, 'pulse', event, { token })).status).toBe(204);
    } finally {
      await k8s.close();
    }
  });
});
