-- Accounts: an email address or a +84 mobile number (E.164), or both; one argon2id hash each.
CREATE TABLE {{schema}}.accounts (
  id uuid PRIMARY KEY,
  email text UNIQUE CHECK (email = lower(email)),
  phone text UNIQUE CHECK (phone ~ '^\+84[35789][0-9]{8}$'),
  email_verified_at timestamptz,
  phone_verified_at timestamptz,
  password_hash text NOT NULL,
  role text NOT NULL DEFAULT 'customer' CHECK (role IN ('customer', 'staff', 'admin')),
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
  name text CHECK (char_length(name) <= 100),
  lang text NOT NULL DEFAULT 'vi' CHECK (lang IN ('en', 'vi')),
  dietary text[] NOT NULL DEFAULT '{}',
  favourites text[] NOT NULL DEFAULT '{}',
  default_address_id uuid,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (email IS NOT NULL OR phone IS NOT NULL)
);
CREATE INDEX accounts_listing ON {{schema}}.accounts (created_at DESC, id DESC);

-- Delivery addresses in Vietnam's two-level units (province, ward; no district since 2025).
CREATE TABLE {{schema}}.addresses (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES {{schema}}.accounts (id) ON DELETE CASCADE,
  label text,
  recipient text NOT NULL,
  phone text NOT NULL,
  street text NOT NULL,
  ward text NOT NULL,
  province text NOT NULL,
  lat double precision,
  lng double precision,
  notes text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((lat IS NULL) = (lng IS NULL))
);
CREATE INDEX addresses_by_user ON {{schema}}.addresses (user_id, created_at);

-- A session is a refresh-token family: every rotation adds a token to it; reusing a rotated token
-- revokes the whole family.
CREATE TABLE {{schema}}.sessions (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES {{schema}}.accounts (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  revoke_reason text,
  user_agent text
);
CREATE INDEX sessions_by_user ON {{schema}}.sessions (user_id) WHERE revoked_at IS NULL;

-- Refresh tokens are stored as SHA-256 digests only.
CREATE TABLE {{schema}}.refresh_tokens (
  digest bytea PRIMARY KEY,
  session_id uuid NOT NULL REFERENCES {{schema}}.sessions (id) ON DELETE CASCADE,
  issued_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);
CREATE INDEX refresh_tokens_by_session ON {{schema}}.refresh_tokens (session_id);

-- Single-use secrets: verification and password reset, by link token (email) or 6-digit code (SMS).
CREATE TABLE {{schema}}.one_time_tokens (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES {{schema}}.accounts (id) ON DELETE CASCADE,
  purpose text NOT NULL CHECK (purpose IN ('verify', 'reset')),
  channel text NOT NULL CHECK (channel IN ('email', 'phone')),
  target text NOT NULL,
  digest bytea NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);
CREATE UNIQUE INDEX one_time_tokens_digest ON {{schema}}.one_time_tokens (digest) WHERE channel = 'email';
CREATE INDEX one_time_tokens_open ON {{schema}}.one_time_tokens (user_id, purpose, channel)
  WHERE used_at IS NULL;

-- Every password-reset request, for an account or not: both paths write here, so they take alike.
CREATE TABLE {{schema}}.reset_requests (
  id bigserial PRIMARY KEY,
  identifier_digest bytea NOT NULL,
  user_id uuid,
  ip text,
  at timestamptz NOT NULL DEFAULT now()
);

-- Access-token signing keys. A new key is published (JWKS) before it signs; a superseded key stays
-- published until the last token it signed has expired. Private keys are AES-256-GCM encrypted and
-- erased once the key no longer signs.
CREATE TABLE {{schema}}.signing_keys (
  kid text PRIMARY KEY,
  alg text NOT NULL CHECK (alg IN ('EdDSA', 'ES256')),
  public_jwk jsonb NOT NULL,
  private_key bytea,
  created_at timestamptz NOT NULL DEFAULT now(),
  activates_at timestamptz NOT NULL,
  superseded_at timestamptz
);

-- Service clients (client-credentials grant): other functions and ops tools.
CREATE TABLE {{schema}}.clients (
  id text PRIMARY KEY CHECK (id ~ '^[a-z][a-z0-9-]{2,62}$'),
  secret_hash text NOT NULL,
  scopes text[] NOT NULL,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  created_at timestamptz NOT NULL DEFAULT now()
);
