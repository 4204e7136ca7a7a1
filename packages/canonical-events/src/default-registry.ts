/**
 * `@app/canonical-events/default-registry`: every shipped provider and the registry of them all,
 * without the zod schemas the package root loads: for a server process that normalizes with the
 * default registry and should not pay for zod (the `@app/migrate` runner), or an edge function.
 *
 * @packageDocumentation
 */
import { createRegistry } from './create-registry.js';
import type { EventNormalizer } from './define-normalizer.js';
import { fallbackNormalizer } from './providers/fallback.js';
import { shopifyNormalizer } from './providers/shopify.js';
import { stripeNormalizer } from './providers/stripe.js';
import { woocommerceNormalizer } from './providers/woocommerce.js';
import { calendlyNormalizer } from './providers/calendly.js';
import { typeformNormalizer } from './providers/typeform.js';
import { hubspotNormalizer } from './providers/hubspot.js';
import { bigcommerceNormalizer } from './providers/bigcommerce.js';
import { segmentNormalizer } from './providers/segment.js';
import { paddleNormalizer } from './providers/paddle.js';
import { paddleClassicNormalizer } from './providers/paddle-classic.js';
import { lemonsqueezyNormalizer } from './providers/lemonsqueezy.js';
import { gumroadNormalizer } from './providers/gumroad.js';
import { paypalNormalizer } from './providers/paypal.js';
import { trustpilotNormalizer } from './providers/trustpilot.js';
import { trustNormalizer } from './providers/trust.js';
import { testimonialToNormalizer } from './providers/testimonial-to.js';
import { testimonialsNormalizer } from './providers/testimonials.js';

/**
 * Every provider normalizer shipped by the package, one per line (so parallel additions merge
 * cleanly). The fallback is not listed: every registry has it.
 */
export const DEFAULT_NORMALIZERS: readonly EventNormalizer[] = Object.freeze([
  shopifyNormalizer,
  stripeNormalizer,
  woocommerceNormalizer,
  calendlyNormalizer,
  typeformNormalizer,
  hubspotNormalizer,
  bigcommerceNormalizer,
  segmentNormalizer,
  paddleNormalizer,
  paddleClassicNormalizer,
  lemonsqueezyNormalizer,
  gumroadNormalizer,
  paypalNormalizer,
  trustpilotNormalizer,
  trustNormalizer,
  testimonialToNormalizer,
  testimonialsNormalizer,
]);

/** The registry `normalizeEvent` uses: all shipped providers plus the fallback. Extend it with `defaultRegistry.extend([...])`. */
export const defaultRegistry = createRegistry(DEFAULT_NORMALIZERS, { fallback: fallbackNormalizer });
