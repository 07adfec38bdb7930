/**
 * Sessions and single-use secrets.
 *
 * A session is a refresh-token family. Refresh tokens are opaque random strings stored as SHA-256
 * digests; each use rotates them (the old one is marked used, a new one joins the family). A used
 * token presented again means it was copied: the whole family is revoked, the thief's copy and the
 * owner's alike. Except within a short grace after its use (`reuseGraceSeconds`, as Okta's and
 * Auth0's rotation allow): two requests of one browser that both saw the token near its access
 * token's expiry (a page load and its live poll) each get a new token of the family, rather than
 * the second one signing the shopper out.
 */
import { createHash, randomBytes, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import { ident, type Queryable, type Tx } from '../shared/db';
import type { Channel } from './identifiers';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** Lifetimes of refresh tokens and sessions. */
export interface SessionTimes {
  /** One refresh token lives this long unless rotated (24 h). */
  refreshTtlSeconds: number;
  /** A session ends this long after sign-in, however often it refreshed (30 days). */
  sessionTtlSeconds: number;
  /** A used token presented again this soon after its use rotates again instead of revoking (0: never). */
  reuseGraceSeconds: number;
}

/** A freshly issued refresh token (the raw value is only ever in this answer). */
export interface IssuedRefresh {
  token: string;
  sessionId: string;
  expiresAt: Date;
}

/** What presenting a refresh token led to. */
export type RotateOutcome =
  | { kind: 'rotated'; userId: string; issued: IssuedRefresh }
  | { kind: 'invalid' }
  | { kind: 'reused'; userId: string; sessionId: string };

/** Session and token store over one schema. */
export function sessionStore(schema: string, times: SessionTimes) {
  const s = ident(schema);
  const withinGrace = (usedAt: Date, now: Date) =>
    now.getTime() - usedAt.getTime() < times.reuseGraceSeconds * 1000;

  async function addToken(tx: Queryable, sessionId: string, now: Date, sessionEnds: Date) {
    const token = `rt_${randomBytes(32).toString('base64url')}`;
    const expiresAt = new Date(
      Math.min(now.getTime() + times.refreshTtlSeconds * 1000, sessionEnds.getTime()),
    );
    await tx.query(
      `INSERT INTO ${s}.refresh_tokens (digest, session_id, issued_at, expires_at) VALUES ($1, $2, $3, $4)`,
      [digest(token), sessionId, now, expiresAt],
    );
    return { token, sessionId, expiresAt };
  }

  return {
    /** Starts a session (sign-in) with its first refresh token. */
    async start(tx: Queryable, userId: string, now: Date, userAgent?: string): Promise<IssuedRefresh> {
      const id = randomUUID();
      const ends = new Date(now.getTime() + times.sessionTtlSeconds * 1000);
      await tx.query(
        `INSERT INTO ${s}.sessions (id, user_id, created_at, expires_at, user_agent) VALUES ($1, $2, $3, $4, $5)`,
        [id, userId, now, ends, userAgent?.slice(0, 256) ?? null],
      );
      return addToken(tx, id, now, ends);
    },

    /**
     * Rotates a refresh token in the caller's transaction. The token row is locked, so two
     * concurrent uses of one token are decided one after the other: the second is a reuse.
     */
    async rotate(tx: Tx, token: string, now: Date): Promise<RotateOutcome> {
      if (!/^rt_[A-Za-z0-9_-]{43}$/.test(token)) return { kind: 'invalid' };
      const { rows } = await tx.query<{
        session_id: string;
        used_at: Date | null;
        expires_at: Date;
        user_id: string;
        revoked_at: Date | null;
        session_expires_at: Date;
        status: string;
      }>(
        `SELECT t.session_id, t.used_at, t.expires_at, s.user_id, s.revoked_at,
                s.expires_at AS session_expires_at, a.status
           FROM ${s}.refresh_tokens t
           JOIN ${s}.sessions s ON s.id = t.session_id
           JOIN ${s}.accounts a ON a.id = s.user_id
          WHERE t.digest = $1
          FOR UPDATE OF t, s`,
        [digest(token)],
      );
      const row = rows[0];
      if (!row || row.revoked_at) return { kind: 'invalid' };
      if (row.used_at && !withinGrace(row.used_at, now)) {
        await this.revoke(tx, row.session_id, 'reuse', now);
        return { kind: 'reused', userId: row.user_id, sessionId: row.session_id };
      }
      if (row.expires_at <= now || row.session_expires_at <= now || row.status !== 'active')
        return { kind: 'invalid' };
      // Within the grace the token keeps its first use's time, so the grace never stretches.
      if (!row.used_at)
        await tx.query(`UPDATE ${s}.refresh_tokens SET used_at = $2 WHERE digest = $1`, [digest(token), now]);
      const issued = await addToken(tx, row.session_id, now, row.session_expires_at);
      return { kind: 'rotated', userId: row.user_id, issued };
    },

    /** The session and account a refresh token belongs to (logout, per-account limits), if it is ours. */
    async find(db: Queryable, token: string): Promise<{ sessionId: string; userId: string } | undefined> {
      if (!/^rt_[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
      const { rows } = await db.query<{ session_id: string; user_id: string }>(
        `SELECT t.session_id, s.user_id FROM ${s}.refresh_tokens t JOIN ${s}.sessions s ON s.id = t.session_id
          WHERE t.digest = $1`,
        [digest(token)],
      );
      return rows[0] && { sessionId: rows[0].session_id, userId: rows[0].user_id };
    },

    /**
     * Whether a user's session is live: not revoked, not past its end, and its account active.
     * Sensitive writes ask this, so a logged-out or suspended session's access token stops there.
     */
    async live(db: Queryable, sessionId: string, userId: string, now: Date): Promise<boolean> {
      if (!UUID.test(sessionId) || !UUID.test(userId)) return false;
      const { rowCount } = await db.query(
        `SELECT 1 FROM ${s}.sessions s JOIN ${s}.accounts a ON a.id = s.user_id
          WHERE s.id = $1 AND s.user_id = $2 AND s.revoked_at IS NULL AND s.expires_at > $3
            AND a.status = 'active'`,
        [sessionId, userId, now],
      );
      return (rowCount ?? 0) > 0;
    },

    /** Revokes one session. */
    async revoke(db: Queryable, sessionId: string, reason: string, now: Date): Promise<void> {
      await db.query(
        `UPDATE ${s}.sessions SET revoked_at = $3, revoke_reason = $2 WHERE id = $1 AND revoked_at IS NULL`,
        [sessionId, reason, now],
      );
    },

    /** Revokes every session of a user but `except` (password change, reset, suspension). */
    async revokeAll(
      db: Queryable,
      userId: string,
      reason: string,
      now: Date,
      except?: string,
    ): Promise<number> {
      const { rowCount } = await db.query(
        `UPDATE ${s}.sessions SET revoked_at = $3, revoke_reason = $2
          WHERE user_id = $1 AND revoked_at IS NULL AND id IS DISTINCT FROM $4`,
        [userId, reason, now, except ?? null],
      );
      return rowCount ?? 0;
    },
  };
}

/** Why a single-use secret exists. */
export type Purpose = 'verify' | 'reset';

/** Lifetimes of single-use secrets. */
export const SECRET_TTL_SECONDS: Record<Channel, Record<Purpose, number>> = {
  email: { verify: 24 * 3600, reset: 3600 },
  phone: { verify: 600, reset: 600 },
};

/** Wrong codes allowed before a phone code is spent. */
export const MAX_CODE_ATTEMPTS = 5;

/** What spending a single-use secret led to: whose it was and where it was sent, or not good. */
export type SpendOutcome = { kind: 'spent'; userId: string; target: string } | { kind: 'invalid' };

const INVALID: SpendOutcome = { kind: 'invalid' };

/** Single-use secrets: link tokens by email, 6-digit codes by SMS. */
export function secretStore(schema: string) {
  const s = ident(schema);
  const codeDigest = (userId: string, code: string) => digest(`${userId}:${code}`);
  return {
    /** Issues a secret; earlier open secrets of the same purpose and channel stop working. */
    async issue(
      tx: Queryable,
      opts: { userId: string; purpose: Purpose; channel: Channel; target: string; now: Date },
    ): Promise<{ token: string; expiresAt: Date }> {
      const token =
        opts.channel === 'email'
          ? randomBytes(32).toString('base64url')
          : String(randomInt(0, 1_000_000)).padStart(6, '0');
      const expiresAt = new Date(opts.now.getTime() + SECRET_TTL_SECONDS[opts.channel][opts.purpose] * 1000);
      await tx.query(
        `UPDATE ${s}.one_time_tokens SET used_at = $4
          WHERE user_id = $1 AND purpose = $2 AND channel = $3 AND used_at IS NULL`,
        [opts.userId, opts.purpose, opts.channel, opts.now],
      );
      await tx.query(
        `INSERT INTO ${s}.one_time_tokens (id, user_id, purpose, channel, target, digest, expires_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          randomUUID(),
          opts.userId,
          opts.purpose,
          opts.channel,
          opts.target,
          opts.channel === 'email' ? digest(token) : codeDigest(opts.userId, token),
          expiresAt,
          opts.now,
        ],
      );
      return { token, expiresAt };
    },

    /** Spends an email link token; `invalid` when it is unknown, used or expired. */
    async spendLink(tx: Tx, purpose: Purpose, token: string, now: Date): Promise<SpendOutcome> {
      if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return INVALID;
      const { rows } = await tx.query<{ user_id: string; target: string }>(
        `UPDATE ${s}.one_time_tokens SET used_at = $3
          WHERE digest = $1 AND channel = 'email' AND purpose = $2 AND used_at IS NULL AND expires_at > $3
          RETURNING user_id, target`,
        [digest(token), purpose, now],
      );
      return rows[0] ? { kind: 'spent', userId: rows[0].user_id, target: rows[0].target } : INVALID;
    },

    /**
     * Spends a phone code of a user. Every wrong try counts; after MAX_CODE_ATTEMPTS the code is
     * dead even if the next guess would have been right.
     */
    async spendCode(
      tx: Tx,
      userId: string,
      purpose: Purpose,
      code: string,
      now: Date,
    ): Promise<SpendOutcome> {
      const { rows } = await tx.query<{ id: string; digest: Buffer; attempts: number; target: string }>(
        `SELECT id, digest, attempts, target FROM ${s}.one_time_tokens
          WHERE user_id = $1 AND purpose = $2 AND channel = 'phone' AND used_at IS NULL AND expires_at > $3
          ORDER BY created_at DESC LIMIT 1 FOR UPDATE`,
        [userId, purpose, now],
      );
      const row = rows[0];
      if (!row) return INVALID;
      const good = /^\d{6}$/.test(code) && timingSafeEqual(row.digest, codeDigest(userId, code));
      if (good && row.attempts < MAX_CODE_ATTEMPTS) {
        await tx.query(`UPDATE ${s}.one_time_tokens SET used_at = $2 WHERE id = $1`, [row.id, now]);
        return { kind: 'spent', userId, target: row.target };
      }
      await tx.query(
        `UPDATE ${s}.one_time_tokens SET attempts = attempts + 1,
                used_at = CASE WHEN attempts + 1 >= $3 THEN $2 ELSE used_at END
          WHERE id = $1`,
        [row.id, now, MAX_CODE_ATTEMPTS],
      );
      return INVALID;
    },

    /**
     * Logs a password-reset request (every request, for an unknown identifier too, so both do the
     * same work); the identifier is kept only as a digest.
     */
    async recordResetRequest(
      tx: Queryable,
      r: { identifier: string; userId?: string; ip: string },
    ): Promise<void> {
      await tx.query(`INSERT INTO ${s}.reset_requests (identifier_digest, user_id, ip) VALUES ($1, $2, $3)`, [
        digest(r.identifier),
        r.userId ?? null,
        r.ip,
      ]);
    },
  };
}
