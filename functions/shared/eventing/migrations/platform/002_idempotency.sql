-- Idempotent commands (functions/shared/idempotency.ts): one row per (scope, client-supplied key),
-- written in the same transaction as the command's effect, holding a hash of the request and the
-- response to replay. Rows expire (24 h by default) and are purged by `purgeExpiredIdempotencyKeys`.
CREATE TABLE {{schema}}.idempotency_keys (
  scope        text        NOT NULL,
  key          text        NOT NULL,
  request_hash text        NOT NULL,
  status       integer,
  response     jsonb,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_keys_expiry ON {{schema}}.idempotency_keys (expires_at);
