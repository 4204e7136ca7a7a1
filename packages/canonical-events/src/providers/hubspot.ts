/**
 * `@app/canonical-events/hubspot`: HubSpot contacts, in three shapes:
 * - the legacy contact profile (`{ vid, 'canonical-vid', properties: { firstname: { value } } }`),
 *   which workflow "Send a webhook" actions post; every value is a string, and `createdate` is
 *   unix milliseconds as a STRING (`"1680448099688"`);
 * - a CRM v3 object (`{ id, properties: { firstname: 'Ann' }, createdAt }`), values plain strings;
 * - Webhooks API v3 notifications: a list of `{ subscriptionType, objectId, occurredAt }`,
 *   which carry ids only (described from the first; `batch_size` is the list length).
 *
 * A contact record is read as `contact.creation` (HubSpot's own subscription name) unless the
 * row says otherwise, and that is a `signup`, timed by `createdate`; other subscription types
 * (`contact.propertyChange`, `deal.creation`…) are `custom`. Only `firstname`, `lastname`, `city`, `state`
 * and `country` are read: never `email`, `phone`, `address`, `zip`, the company or the
 * associated owner (a HubSpot user, not the contact).
 *
 * @packageDocumentation
 */
import { defineProvider, type NormalizerOutput } from '../define-normalizer.js';
import { CITY_RULE, REGION_RULE, COUNTRY_RULE, COUNTRY_CODE_RULE } from '../template-field-rules.js';
import type { EventKind } from '../field-vocabulary.js';
import { firstPresent, getObject, getOwn, getString, idToString, isJsonObject, type JsonObject } from '../helpers/json-access.js';
import { personName } from '../helpers/person-name.js';

/** A property's value: `{ value }` in the legacy profile, the string itself in CRM v3. */
function propertyValue(properties: JsonObject | undefined, name: string): string | undefined {
  return getString(properties, name, 'value') ?? getString(properties, name);
}

/** A contact record (legacy profile or CRM v3 object) rather than a notification. */
function isContactRecord(value: unknown): value is JsonObject {
  if (!isJsonObject(value) || !isJsonObject(getOwn(value, 'properties'))) return false;
  if (getOwn(value, 'vid') !== undefined || getOwn(value, 'canonical-vid') !== undefined || getOwn(value, 'is-contact') !== undefined) return true;
  const properties = getObject(value, 'properties');
  return getOwn(properties, 'firstname') !== undefined || getOwn(properties, 'lastname') !== undefined || getOwn(properties, 'email') !== undefined;
}

function detectHubspotEvent(payload: unknown): string | undefined {
  const first = Array.isArray(payload) ? payload[0] : payload;
  const declared = getString(first, 'subscriptionType');
  if (declared !== undefined) return declared;
  return isContactRecord(first) ? 'contact.creation' : undefined;
}

function kindOf(eventType: string | undefined): EventKind {
  return eventType === 'contact.creation' ? 'signup' : 'custom';
}

/** Country name or ISO code, as HubSpot stores whatever the form or import gave it. */
function countryOf(value: string | undefined) {
  return value !== undefined && /^[A-Za-z]{2}$/.test(value) ? { country_code: value } : { country: value };
}

function normalizeContact(contact: JsonObject, kind: EventKind): NormalizerOutput {
  const properties = getObject(contact, 'properties');
  return {
    template: {
      event_kind: kind,
      city: propertyValue(properties, 'city'),
      region: propertyValue(properties, 'state'),
      ...countryOf(propertyValue(properties, 'country')),
      ...personName({ first: propertyValue(properties, 'firstname'), last: propertyValue(properties, 'lastname') }),
    },
    timestamp: firstPresent(propertyValue(properties, 'createdate'), getOwn(contact, 'createdAt'), getOwn(contact, 'addedAt')),
    sourceObjectId: idToString(firstPresent(getOwn(contact, 'canonical-vid'), getOwn(contact, 'vid'), getOwn(contact, 'id'), propertyValue(properties, 'hs_object_id'))),
  };
}

/** Normalizer for HubSpot contacts and webhook notifications (see the module description). */
export const hubspotNormalizer = /* @__PURE__ */ defineProvider(
  {
    provider: 'hubspot',
    version: 1,
    detectEventType: detectHubspotEvent,
    normalize(payload, context): NormalizerOutput {
      const batchSize = Array.isArray(payload) ? payload.length : undefined;
      const first = Array.isArray(payload) ? payload[0] : payload;
      if (!isJsonObject(first)) return { template: {}, batchSize };
      const kind = kindOf(context.eventType);
      // batchSize first: V8 builds a literal that opens with a spread through a slow path.
      if (isContactRecord(first)) return { batchSize, ...normalizeContact(first, kind) };
      // A Webhooks API notification: ids and a time only; the contact must be fetched for more.
      return {
        template: { event_kind: kind },
        timestamp: getOwn(first, 'occurredAt'),
        sourceObjectId: idToString(getOwn(first, 'objectId')),
        batchSize,
      };
    },
  },
  [CITY_RULE, REGION_RULE, COUNTRY_RULE, COUNTRY_CODE_RULE],
);
