/** Request bodies of the user API (unknown fields are refused everywhere). */
import { Type, type Static } from '@sinclair/typebox';
import { DIETARY, SKU_PATTERN } from '../../events';
import { ROLES, SCOPES } from '../shared/auth/verifier';
import { MAX_PASSWORD_LENGTH } from './passwords';
import { PROVINCE_IDS, VIETNAM_BOUNDS } from '../shared/provinces';

const Text = (max: number, min = 1) =>
  Type.String({ minLength: min, maxLength: max, pattern: '^[^\\u0000-\\u001f\\u007f]*$' });
const Password = Type.String({ minLength: 1, maxLength: MAX_PASSWORD_LENGTH * 4 });
const Lang = Type.Union([Type.Literal('en'), Type.Literal('vi')]);
const Identifier = Type.String({ minLength: 3, maxLength: 254 });
const Opaque = Type.String({ minLength: 1, maxLength: 128 });
const Code = Type.String({ minLength: 1, maxLength: 16 });

export const RegisterBody = Type.Object(
  {
    email: Type.Optional(Identifier),
    phone: Type.Optional(Type.String({ minLength: 9, maxLength: 20 })),
    password: Password,
    name: Type.Optional(Text(100)),
    lang: Type.Optional(Lang),
  },
  { additionalProperties: false },
);
export type RegisterBody = Static<typeof RegisterBody>;

export const LoginBody = Type.Object(
  {
    identifier: Identifier,
    password: Password,
    /** The device token an earlier sign-in to this identifier answered (see device-tokens.ts). */
    device_token: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  },
  { additionalProperties: false },
);
export const RefreshBody = Type.Object(
  {
    refresh_token: Type.String({
      minLength: 1,
      maxLength: 128,
      description: 'The refresh token a sign-in or refresh answered',
    }),
  },
  { additionalProperties: false },
);
export const ForgotBody = Type.Object({ identifier: Identifier }, { additionalProperties: false });

/** An email link token, or a phone number and the code sent to it. */
export const VerifyBody = Type.Union([
  Type.Object({ token: Opaque }, { additionalProperties: false }),
  Type.Object(
    { phone: Type.String({ minLength: 9, maxLength: 20 }), code: Code },
    { additionalProperties: false },
  ),
]);
export const ResetBody = Type.Union([
  Type.Object({ token: Opaque, password: Password }, { additionalProperties: false }),
  Type.Object(
    { phone: Type.String({ minLength: 9, maxLength: 20 }), code: Code, password: Password },
    { additionalProperties: false },
  ),
]);
export const ResendBody = Type.Object(
  { channel: Type.Union([Type.Literal('email'), Type.Literal('phone')]) },
  { additionalProperties: false },
);
export const ChangePasswordBody = Type.Object(
  { current_password: Password, new_password: Password },
  { additionalProperties: false },
);
export const ClientTokenBody = Type.Object(
  {
    grant_type: Type.Literal('client_credentials', { description: 'The only grant this route serves' }),
    client_id: Type.String({ pattern: '^[a-z][a-z0-9-]{2,62}$', description: "The service client's id" }),
    client_secret: Type.String({ minLength: 1, maxLength: 256, description: 'Its secret' }),
    scope: Type.Optional(
      Type.String({
        maxLength: 500,
        description: 'Space-separated scopes to ask for; every scope the client holds when absent',
      }),
    ),
  },
  { additionalProperties: false },
);

export const ProfilePatchBody = Type.Object(
  {
    name: Type.Optional(Type.Union([Text(100), Type.Null()])),
    lang: Type.Optional(Lang),
    dietary: Type.Optional(
      Type.Array(Type.Union(DIETARY.map((d) => Type.Literal(d))), {
        maxItems: DIETARY.length,
        uniqueItems: true,
      }),
    ),
    favourites: Type.Optional(
      Type.Array(Type.String({ pattern: SKU_PATTERN }), { maxItems: 500, uniqueItems: true }),
    ),
    default_address_id: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Null()])),
    /** What the picker does with a short item unless a cart line says otherwise. */
    substitution_default: Type.Optional(Type.Union([Type.Literal('best_match'), Type.Literal('none')])),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type ProfilePatchBody = Static<typeof ProfilePatchBody>;

const Geo = Type.Object(
  {
    lat: Type.Number({ minimum: VIETNAM_BOUNDS.minLat, maximum: VIETNAM_BOUNDS.maxLat }),
    lng: Type.Number({ minimum: VIETNAM_BOUNDS.minLng, maximum: VIETNAM_BOUNDS.maxLng }),
  },
  { additionalProperties: false },
);
const addressFields = {
  label: Type.Optional(Type.Union([Text(40), Type.Null()])),
  recipient: Text(100),
  phone: Type.String({ minLength: 9, maxLength: 20 }),
  street: Text(200),
  /** Phường, xã or đặc khu, as written (the ward list is not bundled yet). */
  ward: Text(100),
  province: Type.Union(PROVINCE_IDS.map((p) => Type.Literal(p))),
  geo: Type.Optional(Type.Union([Geo, Type.Null()])),
  notes: Type.Optional(Type.Union([Text(500), Type.Null()])),
  is_default: Type.Optional(Type.Boolean()),
};
export const AddressBody = Type.Object(addressFields, { additionalProperties: false });
export type AddressBody = Static<typeof AddressBody>;
export const AddressPatchBody = Type.Partial(AddressBody, { additionalProperties: false, minProperties: 1 });

/** The `:id` of an address or account: a UUID, so another shape is a 400, not a database error. */
export const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) }, { additionalProperties: false });

export const AdminPatchBody = Type.Object(
  {
    role: Type.Optional(Type.Union(ROLES.map((r) => Type.Literal(r)))),
    status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('suspended')])),
  },
  { additionalProperties: false, minProperties: 1 },
);
export const UsersQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    role: Type.Optional(Type.Union(ROLES.map((r) => Type.Literal(r)))),
    status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('suspended')])),
    limit: Type.Optional(Type.String({ pattern: '^(100|[1-9][0-9]?)$' })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    lang: Type.Optional(Lang),
  },
  { additionalProperties: false },
);

/** Scopes a client may be given. */
export const ScopeList = Type.Array(Type.Union(SCOPES.map((s) => Type.Literal(s))), {
  minItems: 1,
  uniqueItems: true,
});
