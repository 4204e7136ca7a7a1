const FIELD_PREFIX = 'resolution:';

/**
 * The resolutions file (the format `app-migrate campaigns --resolutions` reads) from the apply
 * form: one `resolution:<campaign id>` field per ambiguous campaign, valued `skip`, `native` or
 * `integration:<id>`; an empty value leaves the campaign undecided (and unwritten). Anything
 * else is passed through as written so the planner's validation names it.
 */
export function resolutionsFromForm(form: URLSearchParams): { schemaVersion: 1; resolutions: Record<string, unknown> } {
  const resolutions: Record<string, unknown> = {};
  for (const [name, value] of form) {
    if (!name.startsWith(FIELD_PREFIX) || value === '') continue;
    const campaignId = name.slice(FIELD_PREFIX.length);
    if (value === 'skip' || value === 'native') resolutions[campaignId] = value;
    else if (value.startsWith('integration:')) resolutions[campaignId] = { integration_id: value.slice('integration:'.length) };
    else resolutions[campaignId] = value;
  }
  return { schemaVersion: 1, resolutions };
}
