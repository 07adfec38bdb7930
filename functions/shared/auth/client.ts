/**
 * Tokens for a service calling Tươi APIs as itself: the client-credentials grant of the user
 * function (`POST /auth/token`), cached until shortly before they expire.
 */

/** Where and as whom to ask for tokens. */
export interface ClientCredentials {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scope?: string;
}

/** A function returning a valid access token, fetching a new one only when needed. */
export function clientTokens(creds: ClientCredentials, now: () => number = Date.now): () => Promise<string> {
  let cached: { token: string; until: number } | undefined;
  let inflight: Promise<string> | undefined;
  const fetchToken = async () => {
    const res = await fetch(creds.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'client_credentials',
        client_id: creds.clientId,
        client_secret: creds.clientSecret,
        ...(creds.scope ? { scope: creds.scope } : {}),
      }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) throw new Error(`${creds.tokenUrl} answered ${res.status}: ${await res.text()}`);
    const body = (await res.json()) as { access_token: string; expires_in: number };
    // Renew a minute early so a token never expires on its way.
    cached = { token: body.access_token, until: now() + Math.max(0, body.expires_in - 60) * 1000 };
    return body.access_token;
  };
  return async () => {
    if (cached && now() < cached.until) return cached.token;
    inflight ??= fetchToken().finally(() => (inflight = undefined));
    return inflight;
  };
}
