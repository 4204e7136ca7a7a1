import type { CanonicalEvent } from './canonical-event-schema.js';
import type { NormalizedFields } from './field-vocabulary.js';
import { META_FIELDS } from './field-vocabulary.js';

/** A CloudEvents 1.0 event in structured JSON form, carrying a canonical event. */
export interface CanonicalCloudEvent {
  specversion: '1.0';
  /** The canonical `event_id`. */
  id: string;
  /** URI reference of the producer: `/providers/<provider>` unless overridden. */
  source: string;
  /** `<typePrefix><provider>.<provider_event_type>`, e.g. `app.canonical.stripe.charge.succeeded`. */
  type: string;
  /** The provider object's id (`meta.source_object_id`), when known. */
  subject?: string;
  /** The canonical timestamp (RFC 3339). */
  time: string;
  datacontenttype: 'application/json';
  /** The normalized fields, the provider's event type and the original payload. */
  data: { provider: string; provider_event_type: string; normalized: NormalizedFields; payload: unknown };
}

/** Options of {@link toCloudEvent}. */
export interface ToCloudEventOptions {
  /** The `source` attribute (default `/providers/<provider>`). */
  source?: string;
  /** Prefix of the `type` attribute (default `app.canonical.`). */
  typePrefix?: string;
}

/** The CloudEvents 1.0 structured form of a canonical event (`id`, `source`, `specversion`, `type`, `time`, `data`). */
export function toCloudEvent(event: CanonicalEvent, options: ToCloudEventOptions = {}): CanonicalCloudEvent {
  const subject = event.normalized[META_FIELDS.source_object_id];
  return {
    specversion: '1.0',
    id: event.event_id,
    source: options.source ?? `/providers/${encodeURIComponent(event.provider)}`,
    type: `${options.typePrefix ?? 'app.canonical.'}${event.provider}.${event.provider_event_type}`,
    ...(typeof subject === 'string' ? { subject } : {}),
    time: event.timestamp,
    datacontenttype: 'application/json',
    data: { provider: event.provider, provider_event_type: event.provider_event_type, normalized: event.normalized, payload: event.payload },
  };
}
