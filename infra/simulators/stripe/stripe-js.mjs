// A stand-in for Stripe.js v3 (https://js.stripe.com/v3/), served by the simulator at GET /v3/ so
// the shop's card form works offline: `Stripe(publishableKey)`, `elements().create('card')` with
// `mount()`, and `confirmCardPayment(clientSecret, { payment_method: { card } })`, which confirms the
// PaymentIntent at this simulator with the publishable key and the client secret, as Stripe.js does
// (docs.stripe.com/js/payment_intents/confirm_card_payment). The card element is a plain labelled
// input, not Stripe's iframe. Test cards: 4000 0000 0000 0002 declines, 4000 0025 0000 3155 asks
// for 3-D Secure, any other number approves.

/** The script, with the simulator's own origin as the API it calls. */
export function stripeJs(origin) {
  return `(function () {
  var API = ${JSON.stringify(origin)};
  function Stripe(key) {
    if (!(this instanceof Stripe)) return new Stripe(key);
    if (!/^pk_(test|live)_/.test(String(key))) throw new Error('Stripe(): a publishable key is needed');
    this.key = key;
  }
  Stripe.prototype.elements = function () {
    return {
      create: function (type) {
        var input;
        return {
          type: type,
          mount: function (target) {
            var host = typeof target === 'string' ? document.querySelector(target) : target;
            input = document.createElement('input');
            input.id = 'stripe-sim-card';
            input.name = 'cardnumber';
            input.autocomplete = 'cc-number';
            input.inputMode = 'numeric';
            input.placeholder = '4242 4242 4242 4242';
            var label = host.getAttribute('aria-labelledby');
            if (label) input.setAttribute('aria-labelledby', label);
            else input.setAttribute('aria-label', 'Card number');
            host.appendChild(input);
          },
          _number: function () {
            return input ? input.value.replace(/\\s+/g, '') : '';
          },
        };
      },
    };
  };
  Stripe.prototype.confirmCardPayment = function (secret, data) {
    var card = data && data.payment_method && data.payment_method.card;
    var number = card && card._number ? card._number() : '';
    var pm =
      number === '4000000000000002' ? 'pm_card_chargeDeclined'
      : number === '4000002500003155' ? 'pm_card_threeDSecure2Required'
      : 'pm_card_visa';
    var id = String(secret).split('_secret_')[0];
    return fetch(API + '/v1/payment_intents/' + encodeURIComponent(id) + '/confirm', {
      method: 'POST',
      headers: { authorization: 'Bearer ' + this.key, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'client_secret=' + encodeURIComponent(secret) + '&payment_method=' + pm,
    }).then(function (r) {
      return r.json().then(function (j) {
        return r.ok ? { paymentIntent: j } : { error: j.error };
      });
    });
  };
  window.Stripe = Stripe;
})();
`;
}
