/**
 * `@app/canonical-events/calendly`: Calendly webhooks, v2 (`{ event, created_at, payload }`,
 * where `payload` is the invitee and `payload.event` is only the scheduled event's URI) and the
 * legacy v1 body (`{ event, time, payload: { event_type, event, invitee } }`).
 *
 * - `invitee.created` is a `booking`: the invitee's name and, when the payload carries it, the
 *   event type's name (`scheduled_event.name` in v2, `event_type.name` in v1) as `product_name`.
 *   Its time is the invitee's `created_at` (the moment of booking, with microseconds).
 * - `invitee.canceled` is NOT social proof, so it is never a `booking`: it is kind `custom`
 *   with `provider_event_type` `invitee.canceled` (a widget showing bookings cannot pick it up
 *   by kind, and nothing provider-specific has to be known to skip it). Its time is the
 *   cancellation's (`cancellation.created_at`, else the webhook's `created_at`), not the booking's.
 *   A reschedule sends both events; the new booking arrives as its own `invitee.created`.
 * - `routing_form_submission.created` is a `lead`; anything else (`invitee_no_show.created`…) is `custom`.
 *
 * The invitee's email, phone (`text_reminder_number`) and answers are never read. The object id
 * is the invitee's URI (Calendly's own identifier; its last segment alone cannot be looked up).
 *
 * @packageDocumentation
 */
import { defineProvider, type NormalizerOutput } from '../define-normalizer.js';
import { PRODUCT_NAME_RULE } from '../template-field-rules.js';
import type { EventKind } from '../field-vocabulary.js';
import { firstPresent, getObject, getOwn, getPath, getString, idToString, isJsonObject, type JsonObject } from '../helpers/json-access.js';
import { personName } from '../helpers/person-name.js';

/** A bare v2 invitee (no webhook envelope): it has its own `uri` and a `status`. */
function isBareInvitee(body: JsonObject): boolean {
  return getOwn(body, 'payload') === undefined && getString(body, 'uri') !== undefined && getString(body, 'status') !== undefined;
}

/**
 * The Calendly event name a webhook body declares (`invitee.created`; v2 and v1 both use
 * `event`). A bare invitee has none, so its `status` decides (`canceled` → `invitee.canceled`).
 */
function detectCalendlyEvent(payload: unknown): string | undefined {
  if (!isJsonObject(payload)) return undefined;
  if (isBareInvitee(payload)) return getString(payload, 'status') === 'canceled' ? 'invitee.canceled' : 'invitee.created';
  const name = getString(payload, 'event');
  // Outside an envelope `event` may be the scheduled event's URI, which is not an event name.
  return name !== undefined && !name.includes('/') ? name : undefined;
}

function kindOf(eventType: string | undefined): EventKind {
  switch (eventType) {
    case 'invitee.created':
      return 'booking';
    case 'routing_form_submission.created':
      return 'lead';
    default:
      return 'custom';
  }
}

/** The invitee: v1 nests it under `payload.invitee`, v2 makes `payload` the invitee itself. */
function inviteeOf(body: JsonObject): JsonObject | undefined {
  if (isBareInvitee(body)) return body;
  const inner = getObject(body, 'payload');
  if (inner === undefined) return undefined;
  return getObject(inner, 'invitee') ?? inner;
}

/** Normalizer for Calendly webhooks (see the module description). */
export const calendlyNormalizer = /* @__PURE__ */ defineProvider(
  {
    provider: 'calendly',
    version: 1,
    detectEventType: detectCalendlyEvent,
    normalize(payload, context): NormalizerOutput {
      if (!isJsonObject(payload)) return { template: {} };
      const invitee = inviteeOf(payload);
      const inner = getObject(payload, 'payload') ?? invitee;
      const kind = kindOf(context.eventType);
      const eventTypeName = getString(inner, 'scheduled_event', 'name') ?? getString(inner, 'event_type', 'name');
      const envelope = invitee === payload ? undefined : payload;
      const sentAt = firstPresent(getOwn(envelope, 'created_at'), getOwn(envelope, 'time'));
      const eventTime =
        kind === 'booking' ? firstPresent(getOwn(invitee, 'created_at'), sentAt)
        : context.eventType === 'invitee.canceled' ?
          firstPresent(getPath(invitee, 'cancellation', 'created_at'), getOwn(invitee, 'canceled_at'), sentAt, getOwn(invitee, 'updated_at'))
        : firstPresent(sentAt, getOwn(inner, 'created_at'));
      return {
        template: {
          event_kind: kind,
          product_name: eventTypeName,
          ...personName({ first: getOwn(invitee, 'first_name'), last: getOwn(invitee, 'last_name'), full: getOwn(invitee, 'name') }),
        },
        timestamp: eventTime,
        sourceObjectId: idToString(firstPresent(getOwn(invitee, 'uri'), getOwn(invitee, 'uuid'), getOwn(inner, 'uri'))),
      };
    },
  },
  [PRODUCT_NAME_RULE],
);
