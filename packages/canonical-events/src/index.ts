/**
 * `@app/canonical-events`: turns raw webhook events from Shopify, Stripe, WooCommerce and any
 * other webhook into one canonical event whose flat `template.*` fields render social-proof
 * popups, with `meta.*` fields saying how each event was read.
 *
 * @packageDocumentation
 */
export * from './core.js';
// The zod schemas, source of truth for the shapes; `/core` leaves them out to stay zod-free.
export { CanonicalEventSchema, NormalizedFieldsSchema, NormalizedValueSchema } from './canonical-event-schema.js';
export { LegacyEventRowSchema } from './event-row-schema.js';
export { TemplateValuesSchema } from './template-values-schema.js';
export { DEFAULT_NORMALIZERS, defaultRegistry } from './default-registry.js';
export { type NormalizeEventWithRegistryOptions, normalizeEvent } from './normalize-event.js';
export { shopifyNormalizer } from './providers/shopify.js';
export { stripeNormalizer } from './providers/stripe.js';
export { woocommerceNormalizer } from './providers/woocommerce.js';
export { calendlyNormalizer } from './providers/calendly.js';
export { typeformNormalizer } from './providers/typeform.js';
export { hubspotNormalizer } from './providers/hubspot.js';
export { bigcommerceNormalizer } from './providers/bigcommerce.js';
export { segmentNormalizer } from './providers/segment.js';
export { paddleNormalizer } from './providers/paddle.js';
export { paddleClassicNormalizer } from './providers/paddle-classic.js';
export { lemonsqueezyNormalizer } from './providers/lemonsqueezy.js';
export { gumroadNormalizer } from './providers/gumroad.js';
export { paypalNormalizer } from './providers/paypal.js';
export { trustpilotNormalizer } from './providers/trustpilot.js';
export { trustNormalizer } from './providers/trust.js';
export { testimonialToNormalizer } from './providers/testimonial-to.js';
export { testimonialsNormalizer } from './providers/testimonials.js';
export { type NativeTestimonial, NativeTestimonialSchema } from './native-testimonial-schema.js';
