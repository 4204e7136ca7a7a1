import { describe, expect, it } from 'vitest';
import { normalizeEvent } from '../src/index.js';
import { fixtureRow, loadPayload } from './fixture-rows.js';

/** The popup kind a row gets. */
function kindOf(row: Parameters<typeof normalizeEvent>[0]) {
  const result = normalizeEvent(row);
  if (!result.success) throw result.error;
  return result.data.normalized['template.event_kind'];
}

/** A Stripe fixture envelope with its `type` (and optionally its object) changed. */
function stripeRow(file: string, type: string, patchObject: Record<string, unknown> = {}) {
  const envelope = loadPayload(file) as { type: string; data: { object: Record<string, unknown> } };
  envelope.type = type;
  Object.assign(envelope.data.object, patchObject);
  return { id: `stripe-${type}`, integration_type: 'stripe', event_data: envelope, created_at: '2025-01-15T10:30:00Z' };
}

describe('only sales, sign-ups and started subscriptions get a popup kind', () => {
  it('Stripe: failed, refunded, expired, deleted and updated events are custom', () => {
    expect(kindOf(stripeRow('stripe/charge.succeeded.json', 'charge.succeeded'))).toBe('purchase');
    for (const type of ['charge.failed', 'charge.refunded', 'charge.updated', 'charge.dispute.created']) {
      expect(kindOf(stripeRow('stripe/charge.succeeded.json', type)), type).toBe('custom');
    }
    expect(kindOf(stripeRow('stripe/payment_intent.succeeded.json', 'payment_intent.payment_failed'))).toBe('custom');
    expect(kindOf(stripeRow('stripe/invoice.paid.json', 'invoice.payment_failed'))).toBe('custom');
    expect(kindOf(stripeRow('stripe/checkout.session.completed.json', 'checkout.session.expired'))).toBe('custom');
    expect(kindOf(stripeRow('stripe/customer.subscription.created.json', 'customer.subscription.deleted'))).toBe('custom');
    expect(kindOf(stripeRow('stripe/customer.subscription.created.json', 'customer.subscription.created'))).toBe('subscription');
  });

  it('Stripe: the object status decides too (async checkout not yet paid, refunded charge, bare objects)', () => {
    expect(kindOf(stripeRow('stripe/checkout.session.completed.json', 'checkout.session.completed', { payment_status: 'unpaid' }))).toBe('custom');
    expect(kindOf(stripeRow('stripe/checkout.session.completed.json', 'checkout.session.async_payment_succeeded'))).toBe('purchase');
    expect(kindOf(stripeRow('stripe/charge.succeeded.json', 'charge.succeeded', { refunded: true }))).toBe('custom');
    const bareFailedCharge = { ...(loadPayload('stripe/charge.succeeded.json') as { data: { object: Record<string, unknown> } }).data.object, status: 'failed' };
    expect(kindOf({ id: 'bare', integration_type: 'stripe', event_data: bareFailedCharge, created_at: '2025-01-15T10:30:00Z' })).toBe('custom');
  });

  it('Shopify: cancelled, refunded, deleted and updated topics are custom; create and paid are sales', () => {
    const file = 'shopify/orders_create.json';
    expect(kindOf(fixtureRow('shopify', file, { event_type: 'orders/create' }))).toBe('purchase');
    expect(kindOf(fixtureRow('shopify', file, { event_type: 'orders/paid' }))).toBe('purchase');
    expect(kindOf(fixtureRow('shopify', file, { event_type: 'order.created' }))).toBe('purchase');
    for (const topic of ['orders/cancelled', 'refunds/create', 'orders/delete', 'orders/updated', 'orders/fulfilled']) {
      expect(kindOf(fixtureRow('shopify', file, { event_type: topic })), topic).toBe('custom');
    }
    expect(kindOf(fixtureRow('shopify', 'shopify/customers_create.json', { event_type: 'customers/create' }))).toBe('signup');
    expect(kindOf(fixtureRow('shopify', 'shopify/customers_create.json', { event_type: 'customers/delete' }))).toBe('custom');
    // Without a topic the shape decides, as for every Shopify fixture.
    expect(kindOf(fixtureRow('shopify', file))).toBe('purchase');
  });

  it('WooCommerce: unpaid, failed, cancelled and refunded orders and deletions are custom', () => {
    const order = loadPayload('woocommerce/order.created.json') as Record<string, unknown>;
    const row = (status: string, event_type?: string) => ({
      id: `woo-${status}`,
      integration_type: 'woocommerce',
      event_data: { ...order, status },
      created_at: '2025-01-15T10:30:00Z',
      ...(event_type === undefined ? {} : { event_type }),
    });
    for (const status of ['processing', 'completed', 'on-hold']) expect(kindOf(row(status)), status).toBe('purchase');
    for (const status of ['pending', 'failed', 'cancelled', 'refunded', 'trash', 'checkout-draft']) expect(kindOf(row(status)), status).toBe('custom');
    expect(kindOf(row('processing', 'order.deleted'))).toBe('custom');
    expect(kindOf(row('processing', 'order.created'))).toBe('purchase');
  });
});
