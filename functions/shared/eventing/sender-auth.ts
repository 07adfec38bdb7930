/**
 * Who may deliver CloudEvents to a function: Knative Eventing's sender identity (feature
 * `authentication-oidc`). With it enabled, the Kafka broker's dispatcher requests a token for each
 * Trigger's OIDC service account through the TokenRequest API, with the subscriber's audience
 * (the Trigger's `spec.subscriber.audience`), caches it for 55 of its 60 minutes, and sends it as
 * `Authorization: Bearer <JWT>` (eventing-kafka-broker TokenProvider / WebClientCloudEventSender).
 * The token is an RS256 Kubernetes service-account JWT: `iss` is the cluster's service-account
 * issuer, `sub` is `system:serviceaccount:<ns>:<trigger SA>`, its keys are at the API server's
 * `/openid/v1/jwks`. Knative checks tokens only at its own ingresses (Broker, Channel, KafkaSink);
 * a Knative Service must check them itself, which is what this does before the consumer reads
 * anything: a missing, malformed, forged, expired or foreign-issuer token is 401, a valid token for
 * another audience or from a subject not in the list is 403, and neither touches the inbox.
 *
 * Replays: the token is a bearer credential reused across deliveries for up to an hour, so a
 * per-token `jti` check would refuse Knative's own cached tokens. What holds instead: a token is
 * refused once expired (an old delivery's token replayed later is a 401), and a replayed event is a
 * no-op through the inbox (source+id dedup), so replaying a captured delivery changes nothing.
 */
import { readFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { ForbiddenError, TransientError, UnauthorizedError } from '../errors';
import { int, optional, str, url, type VarReader } from '../config';
import { bearerToken, inlineJwks, staticKeys } from '../auth/verifier';
import { rememberVerified } from '../auth/token-memory';
import { jwksCache, verifyJwt, JwtError, type AccessClaims, type PublicJwk } from '../auth/jwt';
import type { IncomingHttp } from '../http';

/** Where a pod finds its own service-account token and the cluster CA (for the API server's JWKS). */
const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** A comma-separated list of allowed subjects; a trailing `*` matches any suffix (as EventPolicy `sub`). */
const subjectList: VarReader<string[]> = {
  read(raw) {
    const subjects = (raw ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (subjects.length === 0) throw new Error('is required: the subjects allowed to deliver events');
    for (const s of subjects)
      if (s.indexOf('*') !== -1 && s.indexOf('*') !== s.length - 1)
        throw new Error(`"${s}": '*' is only allowed as a suffix`);
    return subjects;
  },
};

/** Configuration of the sender check every CloudEvent function reads. */
export const senderAuthConfigSpec = {
  /** `iss` of delivery tokens: the cluster's service-account issuer (`--service-account-issuer`). */
  EVENTS_OIDC_ISSUER: str('https://kubernetes.default.svc.cluster.local'),
  /** This function's audience, the one its Triggers set in `spec.subscriber.audience`. */
  EVENTS_OIDC_AUDIENCE: str(),
  /** Subjects allowed to deliver (the function's Triggers' OIDC service accounts). */
  EVENTS_OIDC_SUBJECTS: subjectList,
  /** The issuer's keys: the API server's JWKS (service-account-issuer-discovery). */
  EVENTS_OIDC_JWKS_URL: url(['https:', 'http:'], 'https://kubernetes.default.svc/openid/v1/jwks'),
  /** The keys inline as JSON instead of a URL (the local issuer, tests). */
  EVENTS_OIDC_JWKS: inlineJwks,
  /** Bearer token file presented to the JWKS URL (the pod's own service-account token). */
  EVENTS_OIDC_JWKS_TOKEN_FILE: optional(),
  /** CA bundle that signs the JWKS URL's certificate (the cluster CA). */
  EVENTS_OIDC_JWKS_CA_FILE: optional(),
  /** Tolerated clock difference for exp/nbf, seconds. */
  EVENTS_OIDC_CLOCK_SKEW_S: int({ fallback: 30, min: 0, max: 300 }),
};

/** Parsed sender-check configuration. */
export interface SenderAuthConfig {
  EVENTS_OIDC_ISSUER: string;
  EVENTS_OIDC_AUDIENCE: string;
  EVENTS_OIDC_SUBJECTS: string[];
  EVENTS_OIDC_JWKS_URL: string;
  EVENTS_OIDC_JWKS?: { keys: PublicJwk[] };
  EVENTS_OIDC_JWKS_TOKEN_FILE?: string;
  EVENTS_OIDC_JWKS_CA_FILE?: string;
  EVENTS_OIDC_CLOCK_SKEW_S: number;
}

/** Cluster defaults of the token and CA files, for the manifests. */
export const IN_CLUSTER_JWKS_FILES = { token: `${SA_DIR}/token`, ca: `${SA_DIR}/ca.crt` };

/** Checks a delivery's sender; resolves to the token's claims or throws 401/403/503 AppErrors. */
export type SenderCheck = (incoming: IncomingHttp) => Promise<AccessClaims>;

/** Fetches a JWKS over HTTP(S), presenting a bearer token file and trusting a CA file when given. */
export async function fetchJwks(
  jwksUrl: string,
  opts: { tokenFile?: string; caFile?: string; timeoutMs?: number } = {},
): Promise<{ keys: PublicJwk[] }> {
  const token = opts.tokenFile ? (await readFile(opts.tokenFile, 'utf8')).trim() : undefined;
  const ca = opts.caFile ? await readFile(opts.caFile) : undefined;
  const target = new URL(jwksUrl);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      target,
      {
        method: 'GET',
        headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        timeout: opts.timeoutMs ?? 5000,
        ...(ca ? { ca } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          if (res.statusCode !== 200) return reject(new Error(`JWKS ${jwksUrl} answered ${res.statusCode}`));
          try {
            const set = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { keys?: unknown };
            if (!Array.isArray(set.keys)) throw new Error('no "keys" array');
            resolve(set as { keys: PublicJwk[] });
          } catch (err) {
            reject(new Error(`JWKS ${jwksUrl} is not a key set: ${(err as Error).message}`));
          }
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`JWKS ${jwksUrl} did not answer in time`)));
    req.on('error', reject);
    req.end();
  });
}

/** True when `subject` is in `allowed` (exactly, or by a `prefix*` entry). */
export function subjectAllowed(subject: string, allowed: readonly string[]): boolean {
  return allowed.some((a) => (a.endsWith('*') ? subject.startsWith(a.slice(0, -1)) : subject === a));
}

/** Builds the sender check of one function from its configuration. */
export function senderCheckFromConfig(config: SenderAuthConfig): SenderCheck {
  const keys = config.EVENTS_OIDC_JWKS
    ? staticKeys(config.EVENTS_OIDC_JWKS)
    : jwksCache({
        fetchKeys: () =>
          fetchJwks(config.EVENTS_OIDC_JWKS_URL, {
            tokenFile: config.EVENTS_OIDC_JWKS_TOKEN_FILE,
            caFile: config.EVENTS_OIDC_JWKS_CA_FILE,
          }),
      });
  // Knative reuses one delivery token for up to 55 minutes: verify its signature once.
  const verify = rememberVerified(
    (token) =>
      verifyJwt(token, {
        keys,
        issuer: config.EVENTS_OIDC_ISSUER,
        audience: config.EVENTS_OIDC_AUDIENCE,
        clockSkew: config.EVENTS_OIDC_CLOCK_SKEW_S,
        algorithms: ['RS256', 'ES256', 'EdDSA'],
      }),
    { keys, skew: config.EVENTS_OIDC_CLOCK_SKEW_S },
  );
  return async (incoming) => {
    const raw = incoming.headers.authorization;
    const token = bearerToken(Array.isArray(raw) ? raw.join(', ') : raw);
    if (!token) throw new UnauthorizedError('A CloudEvent delivery needs an OIDC bearer token');
    let claims: AccessClaims;
    try {
      claims = await verify(token);
    } catch (err) {
      if (!(err instanceof JwtError))
        throw new TransientError('The event issuer keys cannot be fetched', {}, { cause: err });
      // Signed by the issuer for someone else: authentic, but not for us.
      if (err.reason === 'audience')
        throw new ForbiddenError('This delivery token is meant for another receiver', { reason: err.reason });
      throw new UnauthorizedError('The delivery token is not valid', { reason: err.reason });
    }
    if (!subjectAllowed(claims.sub, config.EVENTS_OIDC_SUBJECTS))
      throw new ForbiddenError('This sender may not deliver events here', { reason: 'subject' });
    return claims;
  };
}
