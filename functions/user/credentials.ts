/**
 * Steps the auth use cases share inside their unit of work: issuing a single-use secret for the
 * notification function to deliver, spending one, and the token pair a sign-in answers with.
 */
import type { Tx } from '../shared/db';
import type { SecretProof } from './auth-edge';
import type { Channel } from './identifiers';
import type { AccountStore, Clock, Minter, SecretStore } from './ports';
import type { IssuedRefresh, Purpose } from './sessions';
import type { Account } from './store';

/** A secret as the event carries it to the notification function. */
export interface SentSecret {
  token: string;
  expires_at: string;
}

/** Issues a single-use secret for `target` (earlier open ones of the purpose stop working). */
export async function issueSecret(
  deps: { secrets: Pick<SecretStore, 'issue'> } & Clock,
  tx: Tx,
  s: { userId: string; purpose: Purpose; channel: Channel; target: string },
): Promise<SentSecret> {
  const secret = await deps.secrets.issue(tx, { ...s, now: deps.now() });
  return { token: secret.token, expires_at: secret.expiresAt.toISOString() };
}

/** What spending a link or code led to: whose it was, and the channel and target it proved. */
export type Spent = { kind: 'spent'; userId: string; channel: Channel; target: string } | { kind: 'invalid' };

/** Spends a link token, or the newest code sent to a phone number's account. */
export async function spendSecret(
  deps: {
    accounts: Pick<AccountStore, 'byIdentifier'>;
    secrets: Pick<SecretStore, 'spendLink' | 'spendCode'>;
  } & Clock,
  tx: Tx,
  purpose: Purpose,
  proof: SecretProof,
): Promise<Spent> {
  if ('token' in proof) {
    const spent = await deps.secrets.spendLink(tx, purpose, proof.token, deps.now());
    return spent.kind === 'spent' ? { ...spent, channel: 'email' } : spent;
  }
  const account = await deps.accounts.byIdentifier(tx, 'phone', proof.phone);
  if (!account) return { kind: 'invalid' };
  const spent = await deps.secrets.spendCode(tx, account.id, purpose, proof.code, deps.now());
  return spent.kind === 'spent' ? { ...spent, channel: 'phone' } : spent;
}

/** The body of a sign-in or refresh answer: an access token and the refresh token beside it. */
export async function tokenPair(deps: { mint: Minter } & Clock, account: Account, refresh: IssuedRefresh) {
  return {
    ...(await deps.mint.forUser(account, refresh.sessionId)),
    refresh_token: refresh.token,
    refresh_expires_in: Math.round((refresh.expiresAt.getTime() - deps.now().getTime()) / 1000),
    user_id: account.id,
  };
}
