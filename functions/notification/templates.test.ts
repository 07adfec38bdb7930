import { readdirSync, readFileSync } from 'node:fs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { smsLength } from './sms';
import { LANGS, linksFor, loadTemplates, render, templatesFor, type Template } from './templates';

const FIXTURES = join(__dirname, '../../events/fixtures');
const SHOP = 'https://tuoi.vn';
const templates = loadTemplates();

/** Every valid fixture of `type`, as [name, data]. */
function fixtures(type: string): [string, Record<string, unknown>][] {
  const dir = join(FIXTURES, type, 'valid');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => [f, JSON.parse(readFileSync(join(dir, f), 'utf8')).data as Record<string, unknown>]);
}

/** Every (template, language, fixture) that sends a message. */
const cases = [...templates.values()].flatMap((t) =>
  fixtures(t.event)
    .filter(([, data]) => templatesFor(templates, t.event, data).includes(t))
    .flatMap(([name, data]) => LANGS.map((lang) => [t.id, lang, name, t, data] as const)),
);

describe('message templates', () => {
  it('has a fixture that sends each template', () => {
    for (const t of templates.values())
      expect(cases.filter((c) => c[0] === t.id).map((c) => `${t.id}:${c[2]}`)).not.toEqual([]);
  });

  it.each(cases)('%s in %s renders from %s, every placeholder filled', async (_id, lang, _f, t, data) => {
    const out = await render(t as Template, lang, data, linksFor(data, SHOP));
    for (const text of [out.title, out.text, out.html, out.sms.body]) {
      expect(text.length).toBeGreaterThan(0);
      expect(text).not.toMatch(/\{\{|\{%|undefined|\bnull\b|NaN|\[object/);
    }
    // Money reads as Vietnamese readers expect, in the message's language.
    if (/\d ₫/.test(out.text))
      expect(out.text).toMatch(lang === 'vi' ? /\d{1,3}(\.\d{3})* ₫/ : /\d{1,3}(,\d{3})* ₫/);
    // The SMS's segment count is what a carrier counts; more than two segments go unaccented.
    expect(out.sms.segments).toBe(smsLength(out.sms.body).segments);
    if (out.sms.unaccented) expect(out.sms.encoding).toBe('GSM-7');
    else expect(out.sms.segments <= 2 || out.sms.encoding === 'GSM-7').toBe(true);
    expect(out.html).toContain(`<html lang="${lang}">`);
  });

  it('lets every marketing email be stopped from the message itself, in both languages', async () => {
    const marketing = cases.filter((c) => (c[3] as Template).category === 'marketing');
    expect(marketing.length).toBeGreaterThan(0);
    for (const [, lang, , t, data] of marketing) {
      const out = await render(t as Template, lang, data, linksFor(data, SHOP));
      expect(out.text).toContain(`${SHOP}/account#notifications`);
      expect(out.html).toContain(`<a href="${SHOP}/account#notifications">`);
    }
  });

  it('writes each message differently in English and Vietnamese', async () => {
    for (const [, , , t, data] of cases.filter((c) => c[1] === 'en')) {
      const links = linksFor(data, SHOP);
      const [en, vi] = await Promise.all([render(t, 'en', data, links), render(t, 'vi', data, links)]);
      expect(vi.text).not.toBe(en.text);
      expect(vi.title).not.toBe(en.title);
    }
  });

  it('shows times in Vietnam time and money with the language separator', async () => {
    const t = templates.get('pickup-ready')!;
    const [, data] = fixtures(t.event)[0]!;
    const out = await render(
      t,
      'vi',
      { ...data, window_starts_at: '2026-12-08T10:00:00Z' },
      linksFor(data, SHOP),
    );
    expect(out.text).toContain('17:00 08/12/2026');
    const confirmed = templates.get('order-confirmed')!;
    const [, order] = fixtures(confirmed.event)[0]!;
    const vi = await render(confirmed, 'vi', { ...order, total_vnd: 251_000 }, linksFor(order, SHOP));
    const en = await render(confirmed, 'en', { ...order, total_vnd: 251_000 }, linksFor(order, SHOP));
    expect(vi.text).toContain('251.000 ₫');
    expect(en.text).toContain('251,000 ₫');
  });

  it('escapes what a customer or a product name could smuggle into the HTML', async () => {
    const t = templates.get('substitution-proposed')!;
    const [, data] = fixtures(t.event)[0]!;
    const evil = { en: '<script>alert(1)</script>', vi: '<img src=x onerror=alert(1)>' };
    const out = await render(t, 'vi', { ...data, substitute_name: evil }, linksFor(data, SHOP));
    expect(out.html).not.toMatch(/<script|<img/);
    expect(out.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(out.html).toContain(`<a href="${SHOP}/track/`);
  });

  it('refuses an unknown variable or filter instead of leaving a gap', async () => {
    const base = templates.get('order-placed')!;
    const [, data] = fixtures(base.event)[0]!;
    const broken = {
      ...base,
      words: { ...base.words, en: { ...base.words.en, text: 'Hi {{ data.nickname }}' } },
    };
    await expect(render(broken, 'en', data, linksFor(data, SHOP))).rejects.toThrow(/nickname/);
    const filter = {
      ...base,
      words: { ...base.words, en: { ...base.words.en, sms: '{{ data.order_id | shout }}' } },
    };
    await expect(render(filter, 'en', data, linksFor(data, SHOP))).rejects.toThrow(/shout/);
  });

  it('refuses a template file missing a language', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tpl-'));
    writeFileSync(
      join(dir, 'half.yaml'),
      'event: io.tuoi.order.placed.v1\ncategory: order\nurgent: false\nen:\n  title: a\n  text: b\n  sms: c\n',
    );
    expect(() => loadTemplates(dir)).toThrow('template half: missing or wrong vi.title, vi.text, vi.sms');
  });
});
