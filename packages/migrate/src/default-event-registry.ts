import { type NormalizerRegistry, createRegistry, fallbackNormalizer } from '@app/canonical-events/core';
import { bigcommerceNormalizer } from '@app/canonical-events/bigcommerce';
import { calendlyNormalizer } from '@app/canonical-events/calendly';
import { gumroadNormalizer } from '@app/canonical-events/gumroad';
import { hubspotNormalizer } from '@app/canonical-events/hubspot';
import { lemonsqueezyNormalizer } from '@app/canonical-events/lemonsqueezy';
import { paddleNormalizer } from '@app/canonical-events/paddle';
import { paddleClassicNormalizer } from '@app/canonical-events/paddle-classic';
import { paypalNormalizer } from '@app/canonical-events/paypal';
import { segmentNormalizer } from '@app/canonical-events/segment';
import { shopifyNormalizer } from '@app/canonical-events/shopify';
import { stripeNormalizer } from '@app/canonical-events/stripe';
import { testimonialToNormalizer } from '@app/canonical-events/testimonial-to';
import { testimonialsNormalizer } from '@app/canonical-events/testimonials';
import { trustNormalizer } from '@app/canonical-events/trust';
import { trustpilotNormalizer } from '@app/canonical-events/trustpilot';
import { typeformNormalizer } from '@app/canonical-events/typeform';
import { woocommerceNormalizer } from '@app/canonical-events/woocommerce';

/**
 * The registry the runner and `verifyMigration` use by default: `defaultRegistry` of
 * `@app/canonical-events` (every shipped provider, in its order, and the fallback), built from
 * the zod-free `/core` and provider entries, since the package root loads zod for its schemas
 * (about 12 MB of the runner's memory). A test checks it lists the same normalizers.
 */
export const defaultEventRegistry: NormalizerRegistry = createRegistry(
  [
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
  ],
  { fallback: fallbackNormalizer },
);
