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

/**
 * Every known spelling of a provider, after {@link providerAliasKey} folding, mapped to its id.
 * Canonical ids map to themselves.
 */
export const PROVIDER_ALIASES: Readonly<Record<string, ProviderId>> = Object.freeze({
  ...Object.fromEntries(PROVIDER_IDS.map((id) => [id, id])),
  shopify_app: 'shopify',
  shopify_plus: 'shopify',
  stripe_checkout: 'stripe',
  stripe_connect: 'stripe',
  woo: 'woocommerce',
  woo_commerce: 'woocommerce',
  wc: 'woocommerce',
  paddle_billing: 'paddle',
  paddleclassic: 'paddle_classic',
  lemon_squeezy: 'lemonsqueezy',
  lemon: 'lemonsqueezy',
  pay_pal: 'paypal',
  big_commerce: 'bigcommerce',
  testimonialto: 'testimonial_to',
  testimonial_dot_to: 'testimonial_to',
  usetrust: 'trust',
  trust_usetrust: 'trust',
  testimonial: 'testimonials',
  native: 'testimonials',
  native_testimonials: 'testimonials',
  testimonial_form: 'testimonials',
  segment_io: 'segment',
  zapier_webhook: 'zapier',
  proof: 'useproof',
  use_proof: 'useproof',
  prove_source: 'provesource',
  social_proofy: 'socialproofy',
  cloudevent: 'cloudevents',
  custom: 'webhook',
  custom_webhook: 'webhook',
  generic_webhook: 'webhook',
}) as Readonly<Record<string, ProviderId>>;

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
