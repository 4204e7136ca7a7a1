import { describe, expect, it } from 'vitest';
import { createRegistry } from '../src/core.js';
import { normalizeEvent } from '../src/index.js';
import { stripeNormalizer } from '../src/providers/stripe.js';
import { stripeSessionRow } from './stripe-session-row.js';

// The README: names in family-name-first scripts show the given name alone ("山田 太郎" → "太郎").
// personName does so, but the core's check of the provider's output (toDisplayName) drops any
// one-word name in those scripts (it cannot tell "太郎" from "山田太郎"), so the event has no name
// and every Chinese, Japanese or Korean customer's popup says "Someone".
const shopifyOrder = (customer: Record<string, unknown>) => ({
  id: 'cjk',
  integration_type: 'shopify',
  event_type: 'orders/create',
  event_data: { id: 1, customer, line_items: [{ title: 'Mug', price: '10.00' }] },
  created_at: '2025-01-15T10:30:00Z',
});
const stripeSession = stripeSessionRow;

describe('family-name-first names keep the given name through normalizeEvent', () => {
  it.each([
    [{ first_name: '太郎', last_name: '山田' }, '太郎'],
    [{ first_name: '山田 太郎' }, '太郎'],
    [{ first_name: '민준', last_name: '김' }, '민준'],
  ])('Shopify customer %o shows %s', (customer, shown) => {
    const result = normalizeEvent(shopifyOrder(customer));
    if (!result.success) throw result.error;
    expect(result.data.normalized['template.customer_name']).toBe(shown);
  });

  it.each([
    ['山田 太郎', '太郎'],
    ['김 민준', '민준'],
    ['王 小明', '小明'],
  ])('Stripe customer_details.name %s shows %s, through the root and through /core', (name, shown) => {
    for (const result of [normalizeEvent(stripeSession(name)), createRegistry([stripeNormalizer]).normalizeEvent(stripeSession(name))]) {
      if (!result.success) throw result.error;
      expect(result.data.normalized['template.customer_name']).toBe(shown);
    }
  });
});
