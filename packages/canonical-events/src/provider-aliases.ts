/**
 * The canonical id of every provider the SDK knows. Events, campaigns and integrations name
 * providers in many spellings (`Shopify`, `shopify_app`, `woo`…); {@link resolveProviderId}
 * maps each to one of these, and nothing else in the SDK compares provider names as strings.
 */
export const PROVIDER_IDS = [
  'shopify',
  'stripe',
  'woocommerce',
  'paddle',
  'paddle_classic',
  'lemonsqueezy',
  'gumroad',
  'paypal',
  'calendly',
  'typeform',
  'hubspot',
  'trustpilot',
  'testimonial_to',
  'trust',
  'bigcommerce',
  'testimonials',
  'segment',
  'zapier',
  'useproof',
  'provesource',
  'socialproofy',
  'cloudevents',
  'webhook',
] as const;

/** A canonical provider id. */
export type ProviderId = (typeof PROVIDER_IDS)[number];

// Each provider's other spellings (folded), one constant per provider so a normalizer can list its
// own without pulling the whole table into a widget's bundle.
export const SHOPIFY_ALIASES = ['shopify_app', 'shopify_plus'] as const;
export const STRIPE_ALIASES = ['stripe_checkout', 'stripe_connect'] as const;
export const WOOCOMMERCE_ALIASES = ['woo', 'woo_commerce', 'wc'] as const;
export const PADDLE_ALIASES = ['paddle_billing'] as const;
export const PADDLE_CLASSIC_ALIASES = ['paddleclassic'] as const;
export const LEMONSQUEEZY_ALIASES = ['lemon_squeezy', 'lemon'] as const;
export const PAYPAL_ALIASES = ['pay_pal'] as const;
export const BIGCOMMERCE_ALIASES = ['big_commerce'] as const;
export const TESTIMONIAL_TO_ALIASES = ['testimonialto', 'testimonial_dot_to'] as const;
export const TRUST_ALIASES = ['usetrust', 'trust_usetrust'] as const;
export const TESTIMONIALS_ALIASES = ['testimonial', 'native', 'native_testimonials', 'testimonial_form'] as const;
export const SEGMENT_ALIASES = ['segment_io'] as const;
export const ZAPIER_ALIASES = ['zapier_webhook'] as const;
export const USEPROOF_ALIASES = ['proof', 'use_proof'] as const;
export const PROVESOURCE_ALIASES = ['prove_source'] as const;
export const SOCIALPROOFY_ALIASES = ['social_proofy'] as const;
export const CLOUDEVENTS_ALIASES = ['cloudevent'] as const;
export const WEBHOOK_ALIASES = ['custom', 'custom_webhook', 'generic_webhook'] as const;

function pairs(aliases: readonly string[], id: ProviderId): Array<[string, ProviderId]> {
  return aliases.map((alias) => [alias, id]);
}

function aliasTable(): Readonly<Record<string, ProviderId>> {
  return Object.freeze(
    Object.fromEntries([
      ...PROVIDER_IDS.map((id): [string, ProviderId] => [id, id]),
      ...pairs(SHOPIFY_ALIASES, 'shopify'),
      ...pairs(STRIPE_ALIASES, 'stripe'),
      ...pairs(WOOCOMMERCE_ALIASES, 'woocommerce'),
      ...pairs(PADDLE_ALIASES, 'paddle'),
      ...pairs(PADDLE_CLASSIC_ALIASES, 'paddle_classic'),
      ...pairs(LEMONSQUEEZY_ALIASES, 'lemonsqueezy'),
      ...pairs(PAYPAL_ALIASES, 'paypal'),
      ...pairs(BIGCOMMERCE_ALIASES, 'bigcommerce'),
      ...pairs(TESTIMONIAL_TO_ALIASES, 'testimonial_to'),
      ...pairs(TRUST_ALIASES, 'trust'),
      ...pairs(TESTIMONIALS_ALIASES, 'testimonials'),
      ...pairs(SEGMENT_ALIASES, 'segment'),
      ...pairs(ZAPIER_ALIASES, 'zapier'),
      ...pairs(USEPROOF_ALIASES, 'useproof'),
      ...pairs(PROVESOURCE_ALIASES, 'provesource'),
      ...pairs(SOCIALPROOFY_ALIASES, 'socialproofy'),
      ...pairs(CLOUDEVENTS_ALIASES, 'cloudevents'),
      ...pairs(WEBHOOK_ALIASES, 'webhook'),
    ]),
  );
}

/**
 * Every known spelling of a provider, after {@link providerAliasKey} folding, mapped to its id.
 * Canonical ids map to themselves.
 */
// Built by a call bundlers may drop: a widget that never resolves a spelling leaves the table out.
export const PROVIDER_ALIASES: Readonly<Record<string, ProviderId>> = /* @__PURE__ */ aliasTable();

/**
 * Folds a provider name to its lookup key: trimmed, lower-cased, with `.`, `-`, spaces and
 * repeated underscores turned into one `_` (`"Lemon Squeezy"` → `lemon_squeezy`,
 * `"testimonial.to"` → `testimonial_to`).
 */
export function providerAliasKey(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[\s.\-_]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/**
 * The canonical id for any known spelling of a provider, or `undefined` when the name is not
 * one the SDK knows (never guessed).
 */
export function resolveProviderId(name: unknown): ProviderId | undefined {
  if (typeof name !== 'string') return undefined;
  const key = providerAliasKey(name);
  return Object.prototype.hasOwnProperty.call(PROVIDER_ALIASES, key) ? PROVIDER_ALIASES[key] : undefined;
}
