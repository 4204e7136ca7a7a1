/** A row holding a Stripe `checkout.session.completed` event whose customer is called `name`. */
export const stripeSessionRow = (name: string) => ({
  id: 'cjk-stripe',
  integration_type: 'stripe',
  event_data: {
    id: 'evt_1Q2w3E4r5T6y7U8i9O0p',
    object: 'event',
    type: 'checkout.session.completed',
    created: 1736937000,
    data: { object: { object: 'checkout.session', id: 'cs_test_1', amount_total: 3000, currency: 'usd', customer_details: { name } } },
  },
});
