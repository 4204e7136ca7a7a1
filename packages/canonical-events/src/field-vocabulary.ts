/**
 * The vocabulary of `CanonicalEvent.normalized`: every `template.*` field a popup template can
 * use and every `meta.*` field the core records. Keys are flat strings (`'template.price'`) so the
 * record stores as-is in a JSON column and templates address fields without nesting.
 */

/** What happened, in the terms a popup speaks (`just bought`, `just signed up`, `left a review`). */
export const EVENT_KINDS = ['purchase', 'subscription', 'signup', 'lead', 'booking', 'review', 'testimonial', 'custom'] as const;

/** One of {@link EVENT_KINDS}. */
export type EventKind = (typeof EVENT_KINDS)[number];

/**
 * The `template.*` fields, with their meaning. Every value a normalizer returns is checked and
 * cleaned by the core against this table before it reaches `normalized`.
 */
export const TEMPLATE_FIELDS = {
  /** What happened: one of {@link EVENT_KINDS}. Always present (`custom` when nothing better is known). */
  event_kind: 'template.event_kind',
  /** Privacy-safe display name: first name plus last initial (`John S.`), or the first name alone. Never a full last name or an email. */
  customer_name: 'template.customer_name',
  /** The person's first name as given (plain text). */
  first_name: 'template.first_name',
  /** Upper-case initial of the last name, without a dot (`S`). */
  last_initial: 'template.last_initial',
  /** City of the person (billing, then shipping, then profile address), plain text. */
  city: 'template.city',
  /** State, province or region as the provider names it (`Kentucky`, `CA`). */
  region: 'template.region',
  /** Country name as the provider spells it (`United States`). Absent when the provider only sends a code. */
  country: 'template.country',
  /** ISO-3166-1 alpha-2 code, upper-case (`US`; `UK` is corrected to `GB`). */
  country_code: 'template.country_code',
  /** Name of the featured product (first line item), tags stripped and entities decoded. */
  product_name: 'template.product_name',
  /** Absolute http(s) URL of the featured product's page. */
  product_url: 'template.product_url',
  /** Absolute http(s) URL of the featured product's image. */
  product_image: 'template.product_image',
  /** Number of line items (distinct products) in the order or cart. */
  item_count: 'template.item_count',
  /** Units of the featured product (or seats of a subscription). */
  quantity: 'template.quantity',
  /** Amount the customer paid or committed to, in MAJOR units (`388` for $388.00; `500` for ¥500). */
  price: 'template.price',
  /** ISO-4217 code of `price`, upper-case (`USD`). */
  currency: 'template.currency',
  /** Rating given, on a scale up to `rating_max`. */
  rating: 'template.rating',
  /** Top of the rating scale (5 for stars). */
  rating_max: 'template.rating_max',
  /** Title of a review or testimonial, plain text. */
  review_title: 'template.review_title',
  /** Body of a review or testimonial: plain text, personal data redacted, capped in length. */
  review_text: 'template.review_text',
  /** Absolute http(s) URL of the person's avatar or photo. */
  avatar_url: 'template.avatar_url',
  /** Absolute http(s) URL of attached media (a video testimonial, a GIF). */
  media_url: 'template.media_url',
} as const satisfies { readonly [K in keyof TemplateFieldTypes]: `template.${K}` };

/**
 * The type of each template field's value in `normalized` (see {@link TEMPLATE_FIELDS} for the
 * meaning). `TEMPLATE_FIELDS` must list exactly these fields, so the two cannot drift apart.
 */
export interface TemplateFieldTypes {
  event_kind: EventKind;
  customer_name: string;
  first_name: string;
  last_initial: string;
  city: string;
  region: string;
  country: string;
  country_code: string;
  product_name: string;
  product_url: string;
  product_image: string;
  item_count: number;
  quantity: number;
  price: number;
  currency: string;
  rating: number;
  rating_max: number;
  review_title: string;
  review_text: string;
  avatar_url: string;
  media_url: string;
}

/** The short name of a template field (`customer_name`). */
export type TemplateField = keyof typeof TEMPLATE_FIELDS;

/** The `normalized` key of a template field (`template.customer_name`). */
export type TemplateKey = (typeof TEMPLATE_FIELDS)[TemplateField];

/** The `meta.*` fields, all filled by the core (never by a provider file) and always present. */
export const META_FIELDS = {
  /** Canonical provider id (`shopify`); for an unknown `integration_type`, its folded spelling. */
  provider: 'meta.provider',
  /** The provider's own event name (`orders/create`, `checkout.session.completed`), or `unknown`. */
  provider_event_type: 'meta.provider_event_type',
  /** Id of the provider's object (order, session, review) as a string, never through a JS number; `null` when absent. */
  source_object_id: 'meta.source_object_id',
  /** `true` for live data, `false` for test/sandbox data, `null` when the payload does not say. */
  livemode: 'meta.livemode',
  /** `true` when no usable customer name exists (empty, `"null"`, `"Anonymous"`, an email, a placeholder). */
  is_anonymous: 'meta.is_anonymous',
  /** Name of the normalizer that produced the event (`shopify`, `fallback`). */
  normalizer: 'meta.normalizer',
  /** Version of that normalizer; events from an older version can be re-normalized. */
  normalizer_version: 'meta.normalizer_version',
  /** `true` when the generic fallback normalizer guessed the fields from common keys. */
  is_fallback: 'meta.is_fallback',
  /** Comma-separated `template.*` keys expected for this event kind that could not be filled (`""` when none). */
  missing: 'meta.missing',
  /** Where `timestamp` came from: `payload`, `row.created_at` or `options.receivedAt`. */
  timestamp_source: 'meta.timestamp_source',
  /** Comma-separated `template.*` keys dropped because they held personal data (`""` when none). */
  redacted: 'meta.redacted',
  /** Number of items when `event_data` was a batch (list, `events[]`); the event describes the first. `null` otherwise. */
  batch_size: 'meta.batch_size',
  /**
   * The provider's own id of the event or delivery (Stripe `evt_…`, Paddle `event_id`, PayPal
   * `WH-…`, Typeform `event_id`, Segment `messageId`, a CloudEvent's `id`), or the one ingestion
   * passed as `options.eventId` from a header (Shopify's `X-Shopify-Event-Id`); `null` when neither.
   */
  provider_event_id: 'meta.provider_event_id',
  /**
   * Identifies the event across retries, provider-scoped: `stripe:event:evt_…` from the provider's
   * event id; else `shopify:orders/create:<object id>:<payload time>` from the object, the event
   * type and the time the payload gives; else a fingerprint of the template fields. A retried
   * webhook stored as a second row gets the same key, so widgets and ingestion can drop it.
   */
  dedupe_key: 'meta.dedupe_key',
} as const satisfies { readonly [K in keyof MetaFieldTypes]: `meta.${K}` };

/**
 * The type of each meta field's value in `normalized` (see {@link META_FIELDS} for the meaning).
 * `META_FIELDS` must list exactly these fields.
 */
export interface MetaFieldTypes {
  provider: string;
  provider_event_type: string;
  source_object_id: string | null;
  livemode: boolean | null;
  is_anonymous: boolean;
  normalizer: string;
  normalizer_version: number;
  is_fallback: boolean;
  missing: string;
  timestamp_source: TimestampSource;
  redacted: string;
  batch_size: number | null;
  provider_event_id: string | null;
  dedupe_key: string;
}

/** The `normalized` key of a meta field (`meta.is_fallback`). */
export type MetaKey = (typeof META_FIELDS)[MetaField];

/**
 * The typed `normalized` record of a canonical event: every `template.*` key with its value type
 * (present only when the event has it, except `template.event_kind`, always there) and every
 * `meta.*` key (always there). A misspelt key (`'template.prise'`) does not compile, and
 * `normalized['template.price']` is a `number | undefined`.
 */
// One object type rather than an intersection, so editors show the keys and types compare equal.
export type NormalizedFields = {
  [K in keyof ({ [F in Exclude<TemplateField, 'event_kind'> as `template.${F}`]?: TemplateFieldTypes[F] } & { 'template.event_kind': EventKind } & {
    [F in MetaField as `meta.${F}`]: MetaFieldTypes[F];
  })]: ({ [F in Exclude<TemplateField, 'event_kind'> as `template.${F}`]?: TemplateFieldTypes[F] } & { 'template.event_kind': EventKind } & {
    [F in MetaField as `meta.${F}`]: MetaFieldTypes[F];
  })[K];
};

/** The short name of a meta field (`is_fallback`). */
export type MetaField = keyof typeof META_FIELDS;

/** Where the event's timestamp came from. */
export const TIMESTAMP_SOURCES = ['payload', 'row.created_at', 'options.receivedAt'] as const;

/** One of {@link TIMESTAMP_SOURCES}. */
export type TimestampSource = (typeof TIMESTAMP_SOURCES)[number];

/**
 * The template fields a popup of each kind needs. Those a normalizer could not fill are listed in
 * `meta.missing`, so a widget can skip events that would render badly.
 */
export const EXPECTED_FIELDS_BY_KIND: Readonly<Record<EventKind, readonly TemplateField[]>> = {
  purchase: ['customer_name', 'city', 'country_code', 'product_name', 'product_image', 'price', 'currency'],
  subscription: ['customer_name', 'city', 'country_code', 'product_name', 'price', 'currency'],
  signup: ['customer_name', 'city', 'country_code'],
  lead: ['customer_name', 'city', 'country_code'],
  booking: ['customer_name', 'product_name'],
  review: ['customer_name', 'rating', 'review_text', 'product_name'],
  testimonial: ['customer_name', 'review_text', 'avatar_url'],
  custom: ['customer_name', 'city', 'country_code'],
};
