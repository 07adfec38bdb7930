/**
 * Response bodies of the user API as the API documents describe them (scripts/openapi.ts): each
 * mirrors the function that builds the body (`accountView`, `addressView`, `tokenPair`, ...).
 * Open objects: clients must tolerate fields added later.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import { ROLES } from '../shared/auth/principal';

const Instant = Type.String({ format: 'date-time' });
const Uuid = Type.String({ format: 'uuid' });
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

/** `accountView` (store.ts): an account as its owner and staff see it. */
export const AccountView = Type.Object({
  id: Uuid,
  email: Nullable(Type.String()),
  /** In +84 form. */
  phone: Nullable(Type.String()),
  email_verified: Type.Boolean(),
  phone_verified: Type.Boolean(),
  role: Type.Union(ROLES.map((r) => Type.Literal(r))),
  status: Type.Union([Type.Literal('active'), Type.Literal('suspended')]),
  name: Nullable(Type.String()),
  lang: Type.Union([Type.Literal('en'), Type.Literal('vi')]),
  dietary: Type.Array(Type.String()),
  /** Product SKUs. */
  favourites: Type.Array(Type.String()),
  default_address_id: Nullable(Uuid),
  substitution_default: Type.Union([Type.Literal('best_match'), Type.Literal('none')]),
  created_at: Instant,
  updated_at: Instant,
});

/** `addressView` (address-store.ts): an address, and whether it is its account's default. */
export const AddressView = Type.Object({
  id: Uuid,
  label: Nullable(Type.String()),
  recipient: Type.String(),
  phone: Type.String(),
  street: Type.String(),
  ward: Type.String(),
  /** A province id (provinces.ts). */
  province: Type.String(),
  geo: Nullable(Type.Object({ lat: Type.Number(), lng: Type.Number() })),
  notes: Nullable(Type.String()),
  is_default: Type.Boolean(),
  created_at: Instant,
  updated_at: Instant,
});

/** An account with all its addresses, as staff read it (`GET /users/{id}`). */
export const AccountWithAddresses = Type.Composite([
  AccountView,
  Type.Object({ addresses: Type.Array(AddressView) }),
]);

/** The same 202 whether or not an account exists (`accepted` in auth-edge.ts). */
export const AcceptedView = Type.Object({
  status: Type.Literal('accepted'),
  /** What happens next, in the request's language. */
  message: Type.String(),
});

/** The OAuth 2.0 token answer (RFC 6749 §5.1) that `Minter` builds. */
const accessTokenFields = {
  access_token: Type.String({ description: 'A signed JWT (EdDSA), to send as `Authorization: Bearer`' }),
  token_type: Type.Literal('Bearer'),
  /** Seconds until the access token expires. */
  expires_in: Type.Integer({ minimum: 1 }),
  /** Space-separated scopes the token carries (may be empty). */
  scope: Type.String(),
};

/** A client-credentials answer (`POST /auth/token`). */
export const AccessTokenView = Type.Object(accessTokenFields);

/** `tokenPair` (credentials.ts): a user's access token and the refresh token beside it. */
export const TokenPairView = Type.Object({
  ...accessTokenFields,
  refresh_token: Type.String({ description: 'Single use: each refresh answers a new one' }),
  /** Seconds until the refresh token expires. */
  refresh_expires_in: Type.Integer(),
  user_id: Uuid,
});

/** A sign-in answer: the token pair and a device token for the next sign-in to this identifier. */
export const SignInView = Type.Composite([
  TokenPairView,
  Type.Object({
    device_token: Type.String({
      description: 'Send it back as `device_token` on the next sign-in with this identifier',
    }),
  }),
]);

/** A JSON Web Key Set (RFC 7517) of the keys access tokens are signed with. */
export const JwksView = Type.Object({
  keys: Type.Array(
    Type.Object({
      kty: Type.String(),
      kid: Type.String(),
      alg: Type.Optional(Type.String()),
      use: Type.Optional(Type.Literal('sig')),
    }),
  ),
});

/** An introspection answer (RFC 7662 §2.2): inactive says nothing more. */
export const IntrospectionView = Type.Union([
  Type.Object({ active: Type.Literal(false) }),
  Type.Object({
    active: Type.Literal(true),
    token_type: Type.Literal('Bearer'),
    /** The user's id, or `client:<id>` for a service client. */
    sub: Type.String(),
    scope: Type.String(),
    iss: Type.String(),
    aud: Type.Union([Type.String(), Type.Array(Type.String())]),
    exp: Type.Integer(),
    iat: Type.Optional(Type.Integer()),
    jti: Type.Optional(Type.String()),
    /** Service clients only. */
    client_id: Type.Optional(Type.String()),
    /** Users only: the session behind the token. */
    sid: Type.Optional(Type.String()),
    /** Users only. */
    role: Type.Optional(Type.Union(ROLES.map((r) => Type.Literal(r)))),
  }),
]);
