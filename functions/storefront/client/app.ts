/**
 * The shop's only script, and every page works without it: it adds the search box's suggestions
 * (an ARIA combobox), submits choices that take effect on change, and refreshes an order's live
 * section while the tab is visible. Bundled and minified by scripts/build-storefront.ts.
 */

interface Suggestion {
  sku: string;
  name: string;
}

function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number): (...args: A) => void {
  let timer: number | undefined;
  return (...args: A) => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => fn(...args), ms);
  };
}

/** The search box: suggestions as the shopper types, arrow keys to move, Enter to open one. */
function typeahead(input: HTMLInputElement): void {
  const list = document.getElementById(input.getAttribute('aria-controls') ?? '');
  if (!(list instanceof HTMLUListElement)) return;
  const source = input.dataset.suggest ?? '/find/suggest';
  let items: Suggestion[] = [];
  let active = -1;
  let asked = 0;

  const close = () => {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  };
  const render = () => {
    list.replaceChildren(
      ...items.map((s, i) => {
        const li = document.createElement('li');
        li.id = `suggest-${i}`;
        li.setAttribute('role', 'option');
        li.setAttribute('aria-selected', String(i === active));
        const a = document.createElement('a');
        a.href = `/p/${encodeURIComponent(s.sku)}`;
        a.textContent = s.name;
        a.tabIndex = -1;
        li.append(a);
        return li;
      }),
    );
    list.hidden = items.length === 0;
    input.setAttribute('aria-expanded', String(items.length > 0));
    if (active >= 0) input.setAttribute('aria-activedescendant', `suggest-${active}`);
    else input.removeAttribute('aria-activedescendant');
  };
  const ask = debounce(async (q: string) => {
    const mine = ++asked;
    if (q.trim().length < 2) {
      items = [];
      close();
      return;
    }
    try {
      const res = await fetch(`${source}?q=${encodeURIComponent(q)}`, {
        headers: { accept: 'application/json' },
      });
      if (!res.ok || mine !== asked) return;
      items = ((await res.json()) as { suggestions: Suggestion[] }).suggestions;
      active = -1;
      render();
    } catch {
      // suggestions are a convenience: the form still searches
    }
  }, 150);

  input.addEventListener('input', () => ask(input.value));
  input.addEventListener('keydown', (e) => {
    if (list.hidden) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const step = e.key === 'ArrowDown' ? 1 : -1;
      active = (active + step + items.length) % items.length;
      render();
    } else if (e.key === 'Enter' && active >= 0) {
      e.preventDefault();
      const pick = items[active];
      if (pick) window.location.assign(`/p/${encodeURIComponent(pick.sku)}`);
    } else if (e.key === 'Escape') close();
  });
  input.addEventListener('blur', () => window.setTimeout(close, 150));
}

/** A control whose change takes effect at once (a sort order, a substitution choice). */
function autoSubmit(control: HTMLSelectElement | HTMLInputElement): void {
  control.addEventListener('change', () => control.form?.requestSubmit());
  const button = control.form?.querySelector<HTMLElement>('[data-autosubmit-button]');
  if (button) button.hidden = true;
}

/** An order's live section: fetched again every few seconds while visible, until it is final. */
function live(section: HTMLElement): void {
  const source = section.dataset.live;
  if (!source) return;
  let delay = 4000;
  const tick = async () => {
    if (section.dataset.final === 'true') return;
    if (document.visibilityState === 'visible') {
      try {
        const res = await fetch(source, { headers: { accept: 'text/html' }, cache: 'no-store' });
        if (res.ok) {
          const html = await res.text();
          if (html !== section.innerHTML) {
            // Keep the keyboard where it was when the section it sits in is replaced.
            const focused = document.activeElement?.id;
            section.innerHTML = html;
            if (focused) document.getElementById(focused)?.focus();
          }
          section.dataset.final = res.headers.get('x-order-final') ?? 'false';
          // Once the order no longer waits for its payment, its card form has nothing left to pay.
          if (!section.querySelector('[data-status="awaiting_payment"]'))
            document.querySelectorAll('form[data-card]').forEach((f) => f.closest('section')?.remove());
          delay = 4000;
        } else delay = Math.min(delay * 2, 30_000);
      } catch {
        delay = Math.min(delay * 2, 30_000);
      }
    }
    window.setTimeout(tick, delay);
  };
  window.setTimeout(tick, delay);
}

/** The part of Stripe.js the card form uses (https://js.stripe.com/v3/). */
interface StripeJs {
  elements(): { create(type: 'card'): { mount(target: string | Element): void } };
  confirmCardPayment(
    secret: string,
    data: { payment_method: { card: unknown } },
  ): Promise<{ error?: { message?: string }; paymentIntent?: { status: string } }>;
}

/** Pay by card: Stripe's card field, confirmed with the PaymentIntent's client secret. */
function cardPayment(form: HTMLFormElement): void {
  const failed = (text: string) => {
    const box = document.getElementById('card-error');
    if (box) box.textContent = text;
  };
  const make = (window as unknown as { Stripe?: (key: string) => StripeJs }).Stripe;
  const { key, secret, done } = form.dataset;
  if (!make || !key || !secret || !done) {
    failed(form.dataset.unavailable ?? '');
    return;
  }
  const stripe = make(key);
  const card = stripe.elements().create('card');
  card.mount('#card-element');
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const button = form.querySelector('button');
    if (button) button.disabled = true;
    void stripe
      .confirmCardPayment(secret, { payment_method: { card } })
      .then((result) => {
        if (result.error) {
          failed(result.error.message ?? '');
          if (button) button.disabled = false;
        } else window.location.assign(done);
      })
      .catch(() => {
        failed(form.dataset.unavailable ?? '');
        if (button) button.disabled = false;
      });
  });
}

function start(): void {
  document.querySelectorAll<HTMLInputElement>('input[data-suggest]').forEach(typeahead);
  document.querySelectorAll<HTMLSelectElement | HTMLInputElement>('[data-autosubmit]').forEach(autoSubmit);
  document.querySelectorAll<HTMLElement>('[data-live]').forEach(live);
  document.querySelectorAll<HTMLFormElement>('form[data-card]').forEach(cardPayment);
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
