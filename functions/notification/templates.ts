/**
 * The message templates: one YAML file per message in `templates/`, both languages side by side,
 * each with a title (email subject, in-app title), a text (email body, in-app body) and an SMS. A
 * non-programmer edits the words; `{{ … }}` and `{% … %}` are Liquid (LiquidJS: no code runs, and
 * an unknown variable or filter is an error, never an empty gap). The email's HTML is the text,
 * escaped, with its paragraphs and links — so a product name can never inject markup.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { Liquid } from 'liquidjs';
import { repoRoot } from '../shared/paths';
import { formatVnClock, formatVnd, formatVnTime, type Lang } from '../shared/words';
import { smsBody } from './sms';

export const LANGS: readonly Lang[] = ['en', 'vi'];

/** Why a message is sent: account and order messages always go; marketing only with opt-in. */
export type Category = 'account' | 'order' | 'marketing';

interface Words {
  title: string;
  text: string;
  sms: string;
}

/** One message: the event that sends it (and a condition on its data), and its words. */
export interface Template {
  id: string;
  event: string;
  /** Sent only when each of these data fields has this value. */
  when?: Record<string, string>;
  category: Category;
  /** Urgent messages ignore quiet hours (a code, a substitute waiting for an answer). */
  urgent: boolean;
  words: Record<Lang, Words>;
}

/** A rendered message, every channel's form of it. */
export interface Rendered {
  title: string;
  text: string;
  html: string;
  sms: ReturnType<typeof smsBody>;
}

/** Links a message may carry, built from the event's data and the shop's address. */
export type Links = Partial<Record<'order' | 'cart' | 'signin' | 'verify' | 'reset' | 'preferences', string>>;

// In the source tree, found the same way from dist/ (the image copies them beside the migrations).
const TEMPLATE_DIR = join(repoRoot(), 'functions/notification/templates');

function parse(id: string, raw: unknown): Template {
  const t = raw as Partial<Template> & Partial<Record<Lang, Partial<Words>>>;
  const problems: string[] = [];
  if (typeof t.event !== 'string') problems.push('event');
  if (!['account', 'order', 'marketing'].includes(t.category as string)) problems.push('category');
  if (typeof t.urgent !== 'boolean') problems.push('urgent');
  for (const lang of LANGS)
    for (const k of ['title', 'text', 'sms'] as const)
      if (typeof t[lang]?.[k] !== 'string' || !t[lang]![k]!.trim()) problems.push(`${lang}.${k}`);
  if (problems.length) throw new Error(`template ${id}: missing or wrong ${problems.join(', ')}`);
  return {
    id,
    event: t.event!,
    ...(t.when ? { when: t.when } : {}),
    category: t.category!,
    urgent: t.urgent!,
    words: { en: t.en as Words, vi: t.vi as Words },
  };
}

/** Every template in `dir`, by id (the file name). */
export function loadTemplates(dir = TEMPLATE_DIR): Map<string, Template> {
  const out = new Map<string, Template>();
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()) {
    const id = file.replace(/\.yaml$/, '');
    out.set(id, parse(id, load(readFileSync(join(dir, file), 'utf8'))));
  }
  return out;
}

/** The templates an event sends (a delivery status picks the one for its status). */
export function templatesFor(
  all: ReadonlyMap<string, Template>,
  type: string,
  data: Record<string, unknown>,
): Template[] {
  return [...all.values()].filter(
    (t) => t.event === type && Object.entries(t.when ?? {}).every(([k, v]) => data[k] === v),
  );
}

/**
 * The links an event's message may use: pages of the storefront at the shop's public address
 * (`scripts/shop-links.test.ts` checks each is a page the storefront serves). Secrets travel in the
 * query of a page that asks before it spends them, so a mail scanner opening the link spends nothing.
 */
export function linksFor(data: Record<string, unknown>, shop: string): Links {
  const base = shop.replace(/\/+$/, '');
  const q = encodeURIComponent;
  const token = (o: unknown) => (o as { token?: string } | undefined)?.token;
  return {
    cart: `${base}/basket`,
    signin: `${base}/account/sign-in`,
    preferences: `${base}/account#notifications`,
    ...(typeof data.order_id === 'string' ? { order: `${base}/track/${q(data.order_id)}` } : {}),
    ...(token(data.verification)
      ? { verify: `${base}/account/verify?token=${q(token(data.verification)!)}` }
      : {}),
    ...(token(data.reset) ? { reset: `${base}/account/reset?token=${q(token(data.reset)!)}` } : {}),
  };
}

const engine = new Liquid({ strictVariables: true, strictFilters: true, lenientIf: true, cache: true });
engine.registerFilter('vnd', (n: number, lang: Lang) => formatVnd(Number(n), lang));
engine.registerFilter('vntime', (at: string, lang: Lang) => formatVnTime(at, lang));
engine.registerFilter('vnclock', (at: string) => formatVnClock(at));

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** The text as HTML: escaped, a paragraph per blank-line block, links clickable. */
export function htmlOf(title: string, text: string, lang: Lang): string {
  const paragraphs = text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => {
      const body = escape(p)
        .replace(/https?:\/\/[^\s<]+/g, (url) => `<a href="${url}">${url}</a>`)
        .replace(/\n/g, '<br>');
      return `<p>${body}</p>`;
    });
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${escape(title)}</title></head><body>${paragraphs.join('')}</body></html>`;
}

/** Renders `t` in `lang` for an event's data; throws on an unknown variable or filter. */
export async function render(
  t: Template,
  lang: Lang,
  data: Record<string, unknown>,
  links: Links,
  opts: { maxSmsSegments?: number } = {},
): Promise<Rendered> {
  const scope = { data, links, lang };
  const words = t.words[lang];
  const tidy = (s: string) =>
    s
      .replace(/[ \t]+\n/g, '\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim();
  const [title, text, sms] = await Promise.all([
    engine.parseAndRender(words.title, scope),
    engine.parseAndRender(words.text, scope),
    engine.parseAndRender(words.sms, scope),
  ]);
  const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();
  return {
    title: oneLine(title),
    text: tidy(text),
    html: htmlOf(oneLine(title), tidy(text), lang),
    sms: smsBody(oneLine(sms), opts.maxSmsSegments),
  };
}
