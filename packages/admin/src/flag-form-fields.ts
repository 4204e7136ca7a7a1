import type { StoredFlag } from '@app/migrate';
import { type Markup, markup } from './markup.js';
import { planFingerprint } from './plan-fingerprint.js';

/** Who looks at the feature-flags page, and how to reach the app. */
export interface FlagsViewer {
  href(path: string): string;
  isAdmin: boolean;
  csrf: string;
}

/** The page path of one flag (`/feature-flags/<name>`), its name URL-encoded. */
export const flagPath = (name: string) => `/feature-flags/${encodeURIComponent(name)}`;
/** The id of a flag's panel; the page is re-shown at `#<id>` after a change. */
export const flagAnchor = (name: string) => `flag-${encodeURIComponent(name)}`;

/** The session's CSRF token, which every form of the page carries. */
export const csrfField = (viewer: FlagsViewer) => markup`<input type="hidden" name="_csrf" value="${viewer.csrf}">`;

/**
 * The values the admin saw, sent back with every change so a stale one is refused: the row's
 * fields (the store compares them again) and the rollout plan's fingerprint (see `readFlagForm`).
 */
export function expectedFields(flag: StoredFlag): Markup {
  return markup`<input type="hidden" name="expected_enabled" value="${String(flag.enabled)}">
<input type="hidden" name="expected_rollout" value="${String(flag.rollout_percentage)}">
<input type="hidden" name="expected_has_description" value="${String(flag.description !== null)}">
<input type="hidden" name="expected_description" value="${flag.description ?? ''}">
<input type="hidden" name="expected_plan" value="${planFingerprint(flag)}">`;
}
