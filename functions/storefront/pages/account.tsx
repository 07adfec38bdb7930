/**
 * The account: sign in, register (email or phone), a forgotten password, verifying an email or
 * phone, and once signed in the order history, profile (name, message language, dietary
 * preferences, default substitution), addresses and notification preferences.
 */
import type { ComponentChildren } from 'preact';
import { PROVINCES } from '../../shared/provinces';
import { money, when, type Lang } from '../format';
import { DIETARY_NAMES, pick, t, type MessageKey } from '../i18n';
import type { Address } from './checkout';
import { Layout, NoticeBox, type View } from './layout';

export interface Profile {
  email: string | null;
  phone: string | null;
  name: string | null;
  lang: Lang;
  dietary: string[];
  substitution_default: 'best_match' | 'none';
  email_verified?: boolean;
  phone_verified?: boolean;
}

export interface NotificationPrefs {
  channels: { account: string[]; order: string[]; marketing: string[] };
  quiet: { from: string; to: string } | null;
}

export interface OrderSummary {
  id: string;
  status: string;
  status_labels?: { en: string; vi: string };
  total_vnd?: number | null;
  final_vnd?: number;
  created_at: string;
}

const CATEGORIES = ['account', 'order', 'marketing'] as const;
const CHANNELS = ['email', 'sms', 'inapp'] as const;

/** The fields of a new address (shared by the account and checkout pages). */
export function AddressFields(props: { lang: Lang; prefix: string }) {
  const { lang, prefix } = props;
  const field = (
    name: string,
    key: MessageKey,
    type: 'text' | 'tel' = 'text',
    extra: Record<string, unknown> = {},
  ) => (
    <div class="field">
      <label htmlFor={`${prefix}-${name}`}>{t(lang, key)}</label>
      <input {...({ id: `${prefix}-${name}`, name, type, ...extra } as Record<string, unknown>)} />
    </div>
  );
  return (
    <>
      {field('label', 'address_label', 'text', { maxLength: 40 })}
      {field('recipient', 'address_recipient', 'text', {
        required: true,
        maxLength: 100,
        autoComplete: 'name',
      })}
      {field('phone', 'address_phone', 'tel', { required: true, maxLength: 20, autoComplete: 'tel' })}
      {field('street', 'address_street', 'text', {
        required: true,
        maxLength: 200,
        autoComplete: 'address-line1',
      })}
      {field('ward', 'address_ward', 'text', { required: true, maxLength: 100 })}
      <div class="field">
        <label htmlFor={`${prefix}-province`}>{t(lang, 'address_province')}</label>
        <select id={`${prefix}-province`} name="province" required>
          {PROVINCES.map(([id, en, vi]) => (
            <option value={id} selected={id === 'ho-chi-minh'}>
              {lang === 'vi' ? vi : en}
            </option>
          ))}
        </select>
      </div>
    </>
  );
}

export function AccountPage(props: {
  view: View;
  profile: Profile;
  addresses: Address[];
  prefs?: NotificationPrefs;
  orders: OrderSummary[];
}) {
  const { view, profile, prefs } = props;
  const { lang } = view;
  return (
    <Layout view={view} title={t(lang, 'account_title')}>
      <h1>{t(lang, 'account_title')}</h1>
      <p class="meta">{profile.email ?? profile.phone}</p>
      <Unverified lang={lang} profile={profile} />
      <section class="panel" aria-labelledby="orders">
        <h2 id="orders">{t(lang, 'account_orders')}</h2>
        {props.orders.length === 0 ? (
          <p>{t(lang, 'account_no_orders')}</p>
        ) : (
          <table>
            <tbody>
              {props.orders.map((o) => (
                <tr>
                  <td>
                    <a href={`/track/${encodeURIComponent(o.id)}`}>{o.id}</a>
                    <div class="meta">{when(o.created_at, lang)}</div>
                  </td>
                  <td>{pick(lang, o.status_labels, o.status)}</td>
                  <td class="num">
                    {o.final_vnd !== undefined
                      ? money(o.final_vnd, lang)
                      : typeof o.total_vnd === 'number'
                        ? money(o.total_vnd, lang)
                        : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section class="panel" aria-labelledby="profile">
        <h2 id="profile">{t(lang, 'account_profile')}</h2>
        <form method="post" action="/account/profile">
          <div class="field">
            <label htmlFor="name">{t(lang, 'account_name')}</label>
            <input
              id="name"
              name="name"
              type="text"
              maxLength={100}
              value={profile.name ?? ''}
              autoComplete="name"
            />
          </div>
          <div class="field">
            <label htmlFor="msg-lang">{t(lang, 'account_language')}</label>
            <select id="msg-lang" name="lang">
              <option value="vi" selected={profile.lang === 'vi'}>
                Tiếng Việt
              </option>
              <option value="en" selected={profile.lang === 'en'}>
                English
              </option>
            </select>
          </div>
          <fieldset class="choices">
            <legend>{t(lang, 'account_dietary')}</legend>
            {Object.entries(DIETARY_NAMES).map(([id, name]) => (
              <label>
                <input type="checkbox" name="dietary" value={id} checked={profile.dietary.includes(id)} />
                <span>{name[lang]}</span>
              </label>
            ))}
          </fieldset>
          <div class="field">
            <label htmlFor="substitution">{t(lang, 'account_substitution')}</label>
            <select id="substitution" name="substitution_default">
              <option value="best_match" selected={profile.substitution_default === 'best_match'}>
                {t(lang, 'sub_best_match')}
              </option>
              <option value="none" selected={profile.substitution_default === 'none'}>
                {t(lang, 'sub_none')}
              </option>
            </select>
          </div>
          <button type="submit">{t(lang, 'account_save')}</button>
        </form>
      </section>
      <section class="panel" aria-labelledby="addresses">
        <h2 id="addresses">{t(lang, 'account_addresses')}</h2>
        {props.addresses.length === 0 ? <p>{t(lang, 'account_no_addresses')}</p> : null}
        <ul class="lines">
          {props.addresses.map((a) => (
            <li class="line">
              <div class="head">
                <span>
                  {a.label ? <strong>{a.label}: </strong> : null}
                  {`${a.recipient}, ${a.phone}, ${a.street}, ${a.ward}`}
                </span>
                <form method="post" action={`/account/addresses/${encodeURIComponent(a.id)}/delete`}>
                  <button
                    type="submit"
                    class="link"
                    aria-label={`${t(lang, 'account_address_delete')}: ${a.street}`}
                  >
                    {t(lang, 'account_address_delete')}
                  </button>
                </form>
              </div>
            </li>
          ))}
        </ul>
        <details>
          <summary>{t(lang, 'checkout_new_address')}</summary>
          <form method="post" action="/account/addresses">
            <input type="hidden" name="back" value="/account" />
            <AddressFields lang={lang} prefix="acc" />
            <button type="submit">{t(lang, 'address_add')}</button>
          </form>
        </details>
      </section>
      {prefs ? (
        <section class="panel" aria-labelledby="notifications">
          <h2 id="notifications">{t(lang, 'account_notifications')}</h2>
          <form method="post" action="/account/notifications">
            {CATEGORIES.map((c) => (
              <fieldset class="choices">
                <legend>{t(lang, `category_${c}`)}</legend>
                {CHANNELS.map((ch) => (
                  <label>
                    <input type="checkbox" name={c} value={ch} checked={prefs.channels[c].includes(ch)} />
                    <span>{t(lang, `channel_${ch}`)}</span>
                  </label>
                ))}
              </fieldset>
            ))}
            <fieldset class="choices">
              <legend>{t(lang, 'account_quiet')}</legend>
              <label>
                <input type="checkbox" name="quiet_off" value="1" checked={prefs.quiet === null} />
                <span>{t(lang, 'account_quiet_off')}</span>
              </label>
              <div class="row">
                <div class="field">
                  <label htmlFor="quiet-from">{t(lang, 'account_quiet_from')}</label>
                  <input id="quiet-from" name="quiet_from" type="time" value={prefs.quiet?.from ?? '21:00'} />
                </div>
                <div class="field">
                  <label htmlFor="quiet-to">{t(lang, 'account_quiet_to')}</label>
                  <input id="quiet-to" name="quiet_to" type="time" value={prefs.quiet?.to ?? '08:00'} />
                </div>
              </div>
            </fieldset>
            <button type="submit">{t(lang, 'account_save')}</button>
          </form>
        </section>
      ) : null}
      <form method="post" action="/account/sign-out">
        <button type="submit" class="secondary">
          {t(lang, 'account_sign_out')}
        </button>
      </form>
    </Layout>
  );
}

export function SignInPage(props: { view: View; back: string; identifier?: string; error?: string }) {
  const { view } = props;
  const { lang } = view;
  return (
    <Layout view={view} title={t(lang, 'sign_in_title')}>
      <h1>{t(lang, 'sign_in_title')}</h1>
      {props.error ? <NoticeBox notice={{ kind: 'error', text: props.error }} /> : null}
      <form method="post" action="/account/sign-in" class="panel">
        <input type="hidden" name="back" value={props.back} />
        <div class="field">
          <label htmlFor="identifier">{t(lang, 'sign_in_identifier')}</label>
          <input
            id="identifier"
            name="identifier"
            type="text"
            required
            autoComplete="username"
            value={props.identifier ?? ''}
          />
        </div>
        <div class="field">
          <label htmlFor="password">{t(lang, 'sign_in_password')}</label>
          <input id="password" name="password" type="password" required autoComplete="current-password" />
        </div>
        <button type="submit">{t(lang, 'sign_in_button')}</button>
      </form>
      <p>
        <a href="/account/forgot">{t(lang, 'sign_in_forgot')}</a>
      </p>
      <p>
        <a href={`/account/register?back=${encodeURIComponent(props.back)}`}>{t(lang, 'sign_in_new')}</a>
      </p>
    </Layout>
  );
}

/** A new password's field, with the policy's hint (register and reset). */
function NewPassword(props: { lang: Lang; id: string; label: MessageKey }) {
  const { lang, id } = props;
  return (
    <div class="field">
      <label htmlFor={id}>
        {t(lang, props.label)} <span class="hint">{t(lang, 'register_password_hint')}</span>
      </label>
      <input id={id} name="password" type="password" required minLength={10} autoComplete="new-password" />
    </div>
  );
}

export function RegisterPage(props: {
  view: View;
  back: string;
  identifier?: string;
  name?: string;
  error?: string;
}) {
  const { view } = props;
  const { lang } = view;
  return (
    <Layout view={view} title={t(lang, 'register_title')}>
      <h1>{t(lang, 'register_title')}</h1>
      {props.error ? <NoticeBox notice={{ kind: 'error', text: props.error }} /> : null}
      <form method="post" action="/account/register" class="panel">
        <input type="hidden" name="back" value={props.back} />
        <div class="field">
          <label htmlFor="reg-name">{t(lang, 'account_name')}</label>
          <input
            id="reg-name"
            name="name"
            type="text"
            maxLength={100}
            autoComplete="name"
            value={props.name ?? ''}
          />
        </div>
        <div class="field">
          <label htmlFor="reg-identifier">{t(lang, 'sign_in_identifier')}</label>
          <input
            id="reg-identifier"
            name="identifier"
            type="text"
            required
            autoComplete="username"
            value={props.identifier ?? ''}
          />
        </div>
        <NewPassword lang={lang} id="reg-password" label="sign_in_password" />
        <button type="submit">{t(lang, 'register_button')}</button>
      </form>
      <p>
        <a href={`/account/sign-in?back=${encodeURIComponent(props.back)}`}>{t(lang, 'register_have')}</a>
      </p>
    </Layout>
  );
}

/** The hidden field or the phone-and-code fields that prove a secret sent by email or SMS. */
function SecretFields(props: { lang: Lang; token?: string; phone?: string }) {
  const { lang } = props;
  if (props.token) return <input type="hidden" name="token" value={props.token} />;
  return (
    <>
      <div class="field">
        <label htmlFor="code-phone">{t(lang, 'code_phone')}</label>
        <input
          id="code-phone"
          name="phone"
          type="tel"
          required
          maxLength={20}
          autoComplete="tel"
          value={props.phone ?? ''}
        />
      </div>
      <div class="field">
        <label htmlFor="code-code">{t(lang, 'code_code')}</label>
        <input
          id="code-code"
          name="code"
          type="text"
          required
          inputMode="numeric"
          pattern="[0-9]{6}"
          maxLength={6}
          autoComplete="one-time-code"
        />
      </div>
    </>
  );
}

/** A page proving a secret: the link's token, or the phone (filled in when known) and its code. */
export interface SecretPageProps {
  view: View;
  token?: string;
  phone?: string;
  error?: string;
}

/** Asks for the email or phone of an account whose password is forgotten. */
export function ForgotPage(props: { view: View; identifier?: string; error?: string }) {
  const { view } = props;
  const { lang } = view;
  return (
    <Layout view={view} title={t(lang, 'forgot_title')}>
      <h1>{t(lang, 'forgot_title')}</h1>
      {props.error ? <NoticeBox notice={{ kind: 'error', text: props.error }} /> : null}
      <form method="post" action="/account/forgot" class="panel">
        <p>{t(lang, 'forgot_intro')}</p>
        <div class="field">
          <label htmlFor="forgot-identifier">{t(lang, 'sign_in_identifier')}</label>
          <input
            id="forgot-identifier"
            name="identifier"
            type="text"
            required
            maxLength={200}
            autoComplete="username"
            value={props.identifier ?? ''}
          />
        </div>
        <button type="submit">{t(lang, 'forgot_button')}</button>
      </form>
    </Layout>
  );
}

/**
 * A page that proves a secret sent by email or SMS: `intro`, the token (hidden) or the phone and
 * code fields, then `children`. The link only opens it: the secret is spent when the shopper
 * submits the form, never by a mail scanner opening the link.
 */
function SecretFormPage(
  props: SecretPageProps & {
    title: MessageKey;
    action: string;
    intro?: string;
    button: string;
    children?: ComponentChildren;
  },
) {
  const { view } = props;
  const { lang } = view;
  return (
    <Layout view={view} title={t(lang, props.title)}>
      <h1>{t(lang, props.title)}</h1>
      {props.error ? <NoticeBox notice={{ kind: 'error', text: props.error }} /> : null}
      <form method="post" action={props.action} class="panel">
        {props.intro ? <p>{props.intro}</p> : null}
        <SecretFields
          lang={lang}
          {...(props.token ? { token: props.token } : {})}
          phone={props.phone ?? ''}
        />
        {props.children}
        <button type="submit">{props.button}</button>
      </form>
    </Layout>
  );
}

/** A new password, proved by the link's token (email) or a texted code. */
export function ResetPage(props: SecretPageProps) {
  const { lang } = props.view;
  return (
    <SecretFormPage {...props} title="reset_title" action="/account/reset" button={t(lang, 'reset_button')}>
      <NewPassword lang={lang} id="reset-password" label="reset_password" />
    </SecretFormPage>
  );
}

/** Verifies an email (the link's token, spent only on the button) or a phone (a texted code). */
export function VerifyPage(props: SecretPageProps) {
  const { lang } = props.view;
  return (
    <SecretFormPage
      {...props}
      title="verify_title"
      action="/account/verify"
      intro={t(lang, props.token ? 'verify_email_intro' : 'verify_code_intro')}
      button={t(lang, props.token ? 'verify_email_button' : 'verify_code_button')}
    />
  );
}

/** What the account page says about an email or phone not verified yet, with a way to finish. */
function Unverified(props: { lang: Lang; profile: Profile }) {
  const { lang, profile } = props;
  const pending = [
    ...(profile.email && profile.email_verified === false ? (['email'] as const) : []),
    ...(profile.phone && profile.phone_verified === false ? (['phone'] as const) : []),
  ];
  if (pending.length === 0) return null;
  return (
    <section class="panel" aria-labelledby="verify">
      <h2 id="verify">{t(lang, 'verify_title')}</h2>
      {pending.map((channel) => (
        <form method="post" action="/account/verify/resend" class="row">
          <p>{t(lang, channel === 'email' ? 'verify_pending_email' : 'verify_pending_phone')}</p>
          <input type="hidden" name="channel" value={channel} />
          <button type="submit" class="secondary">
            {t(lang, channel === 'email' ? 'verify_resend_email' : 'verify_resend_phone')}
          </button>
          {channel === 'phone' ? (
            <a href={`/account/verify?phone=${encodeURIComponent(profile.phone ?? '')}`}>
              {t(lang, 'verify_enter_code')}
            </a>
          ) : null}
        </form>
      ))}
    </section>
  );
}
