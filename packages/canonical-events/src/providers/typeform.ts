/**
 * `@app/canonical-events/typeform`: Typeform webhooks (`{ event_id, event_type: 'form_response',
 * form_response }`, also `form_response_partial`) and a bare `form_response` object (as the
 * Responses API returns it). A submitted form is a `lead`.
 *
 * Answers carry only a field id and type, so each answer is matched to its question through
 * `definition.fields` (including the sub-fields of contact-info and address blocks) and read as
 * the respondent's name or city only when the question's `ref` or title says so ("What is your
 * first name?", ref `first_name`, an address block's "City/Town"). Email, phone, URL, number and
 * choice answers are never read, nor are `variables` (form-level values such as a "name"
 * variable holding the form's own name); `hidden` fields are read only under exact names
 * (`first_name`, `last_name`, `name`, `city`). Questions about someone else ("Their first
 * name") do not match. The form's title is not a product and is not used.
 *
 * @packageDocumentation
 */
import { defineProvider, type NormalizerOutput } from '../define-normalizer.js';
import { CITY_RULE, REGION_RULE, COUNTRY_RULE, COUNTRY_CODE_RULE } from '../template-field-rules.js';
import { firstPresent, getArray, getObject, getOwn, getString, idToString, isJsonObject, type JsonObject } from '../helpers/json-access.js';
import { personName } from '../helpers/person-name.js';

type AnswerRole = 'first_name' | 'last_name' | 'full_name' | 'city' | 'region' | 'country';

// A form has tens of questions; these bounds keep a hostile 1 MB body cheap.
const MAX_FIELDS = 500;
const MAX_ANSWERS = 500;
const MAX_GROUP_DEPTH = 3;

// A Map, so a ref such as `constructor` cannot resolve to an Object.prototype member.
const ROLE_BY_REF: ReadonlyMap<string, AnswerRole> = new Map<string, AnswerRole>(Object.entries({
  firstname: 'first_name',
  givenname: 'first_name',
  lastname: 'last_name',
  surname: 'last_name',
  familyname: 'last_name',
  name: 'full_name',
  fullname: 'full_name',
  yourname: 'full_name',
  city: 'city',
  town: 'city',
  yourcity: 'city',
  citytown: 'city',
  state: 'region',
  region: 'region',
  province: 'region',
  stateregionprovince: 'region',
  country: 'country',
} satisfies Record<string, AnswerRole>));

// Titles after folding (lower case, letters and spaces only). Each names the respondent's own field.
const ASKING = String.raw`(?:(?:what is|whats|what s|please enter|enter|tell us|may we have|can we have)\s+)?(?:your\s+)?`;
const ROLE_BY_TITLE: ReadonlyArray<readonly [RegExp, AnswerRole]> = [
  [new RegExp(`^${ASKING}(?:first|given)\\s+name$`), 'first_name'],
  [new RegExp(`^${ASKING}(?:last|family)\\s+name$|^${ASKING}surname$`), 'last_name'],
  [new RegExp(`^${ASKING}(?:full\\s+)?name$`), 'full_name'],
  [new RegExp(`^${ASKING}(?:city|town)(?:\\s+town)?$|^(?:what|which)\\s+(?:city|town)\\s+(?:do you live in|are you (?:from|in|based in))$`), 'city'],
  [/^(?:state|region|province)(?:\s+(?:region|province))*$/, 'region'],
  [new RegExp(`^${ASKING}country$|^(?:what|which)\\s+country\\s+(?:do you live in|are you (?:from|in|based in))$`), 'country'],
];

const HIDDEN_ROLES: ReadonlyArray<readonly [string, AnswerRole]> = [
  ['first_name', 'first_name'],
  ['last_name', 'last_name'],
  ['name', 'full_name'],
  ['city', 'city'],
];

function foldRef(ref: string): string {
  return ref.toLowerCase().replace(/[^a-z]/g, '');
}

// Every title pattern above ends on one of these words.
const ROLE_WORD = /name|city|town|state|region|province|country/;

function foldTitle(title: string): string {
  return title
    .toLowerCase()
    .replace(/\{\{[^}]*\}\}/g, ' ')
    .replace(/[^\p{L}\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

// The role of each question title met so far: the responses to one form repeat its few questions,
// so a title is folded and matched once rather than in every response (folding and the patterns
// cost about a microsecond a title). Bounded: cleared when full.
const roleByTitle = new Map<string, AnswerRole | undefined>();

function titleRole(title: string): AnswerRole | undefined {
  // Folding keeps runs of letters as they are, so a title whose text has none of the words the
  // patterns end on cannot match one: most questions are not about the respondent's name or place.
  if (!ROLE_WORD.test(title.toLowerCase())) return undefined;
  const folded = foldTitle(title);
  for (const [pattern, role] of ROLE_BY_TITLE) if (pattern.test(folded)) return role;
  return undefined;
}

function roleOf(ref: string | undefined, title: string | undefined): AnswerRole | undefined {
  if (ref !== undefined && ref.length <= 64) {
    const byRef = ROLE_BY_REF.get(foldRef(ref));
    if (byRef !== undefined) return byRef;
  }
  if (title === undefined || title.length > 120) return undefined;
  if (!roleByTitle.has(title)) {
    if (roleByTitle.size >= 1024) roleByTitle.clear();
    roleByTitle.set(title, titleRole(title));
  }
  return roleByTitle.get(title);
}

/** Field id → the role of its question, through groups (contact info, address) a few levels deep. */
function rolesByFieldId(definition: JsonObject | undefined): Map<string, AnswerRole> {
  const roles = new Map<string, AnswerRole>();
  let seen = 0;
  const visit = (fields: readonly unknown[], depth: number) => {
    for (const field of fields) {
      if (++seen > MAX_FIELDS) return;
      const id = getString(field, 'id');
      const role = roleOf(getString(field, 'ref'), getString(field, 'title'));
      if (id !== undefined && role !== undefined) roles.set(id, role);
      if (depth < MAX_GROUP_DEPTH) visit(getArray(field, 'properties', 'fields'), depth + 1);
    }
  };
  visit(getArray(definition, 'fields'), 0);
  return roles;
}

/** The respondent's own text answers by role; only `text` answers count (never email/phone/url). */
function textAnswersByRole(response: JsonObject): Partial<Record<AnswerRole, string>> {
  const roles = rolesByFieldId(getObject(response, 'definition'));
  // Null prototype: an unanswered role must read as missing even when Object.prototype is polluted.
  const found: Partial<Record<AnswerRole, string>> = Object.create(null) as Partial<Record<AnswerRole, string>>;
  const answers = getArray(response, 'answers');
  for (let index = 0; index < answers.length && index < MAX_ANSWERS; index++) {
    const answer = answers[index];
    if (getOwn(answer, 'type') !== 'text') continue;
    const text = getString(answer, 'text');
    const fieldId = getString(answer, 'field', 'id');
    const role = (fieldId === undefined ? undefined : roles.get(fieldId)) ?? roleOf(getString(answer, 'field', 'ref'), undefined);
    if (text !== undefined && role !== undefined && found[role] === undefined) found[role] = text;
  }
  const hidden = getObject(response, 'hidden');
  for (const [key, role] of HIDDEN_ROLES) found[role] ??= getString(hidden, key);
  return found;
}

/** The response inside the webhook envelope, or the body itself when it is a bare response. */
function responseOf(payload: JsonObject): JsonObject | undefined {
  const inner = getObject(payload, 'form_response');
  if (inner !== undefined) return inner;
  return Array.isArray(getOwn(payload, 'answers')) || getOwn(payload, 'submitted_at') !== undefined ? payload : undefined;
}

function detectTypeformEvent(payload: unknown): string | undefined {
  if (!isJsonObject(payload)) return undefined;
  const declared = getString(payload, 'event_type');
  if (declared !== undefined) return declared;
  return responseOf(payload) === undefined ? undefined : 'form_response';
}

/** Normalizer for Typeform webhooks (see the module description). */
export const typeformNormalizer = /* @__PURE__ */ defineProvider(
  {
    provider: 'typeform',
    version: 1,
    detectEventType: detectTypeformEvent,
    normalize(payload): NormalizerOutput {
      if (!isJsonObject(payload)) return { template: {} };
      const response = responseOf(payload);
      if (response === undefined) return { template: { event_kind: 'lead' } };
      const answers = textAnswersByRole(response);
      return {
        template: {
          event_kind: 'lead',
          city: answers.city,
          region: answers.region,
          // A country question may be answered with a code ("US") or a name ("United States").
          ...(answers.country !== undefined && /^[A-Za-z]{2}$/.test(answers.country) ? { country_code: answers.country } : { country: answers.country }),
          ...personName({ first: answers.first_name, last: answers.last_name, full: answers.full_name }),
        },
        timestamp: firstPresent(getOwn(response, 'submitted_at'), getOwn(response, 'landed_at')),
        sourceObjectId: idToString(firstPresent(getOwn(response, 'token'), getOwn(response, 'response_id'))),
        eventId: idToString(getOwn(payload, 'event_id')),
      };
    },
  },
  [CITY_RULE, REGION_RULE, COUNTRY_RULE, COUNTRY_CODE_RULE],
);
