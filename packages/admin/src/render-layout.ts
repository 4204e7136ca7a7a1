import type { AdminSection } from './admin-route.js';
import { type Markup, markup } from './markup.js';
import type { AdminSession } from './session-codec.js';

/** What {@link renderLayout} needs besides the page itself. */
export interface LayoutOptions {
  title: string;
  appTitle: string;
  basePath: string;
  /** The current path, relative to the base path (marks the current navigation entry). */
  currentPath: string;
  sections: readonly Pick<AdminSection, 'path' | 'label'>[];
  /** `null` on the sign-in page. */
  session: AdminSession | null;
}

/**
 * The app's HTML document: a skip link, the header with the navigation and the caller, and the
 * page in `<main>`. The CSRF token is in a `<meta>` for the script, and in the sign-out form.
 */
export function renderLayout(options: LayoutOptions, body: Markup): string {
  const { basePath, session } = options;
  const nav = options.sections.map(
    (section) =>
      markup`<li><a href="${basePath}${section.path}"${options.currentPath.startsWith(section.path) ? markup` aria-current="page"` : ''}>${section.label}</a></li>`,
  );
  const account =
    session === null
      ? ''
      : markup`<form class="account" method="post" action="${basePath}/logout">
  <span>${session.id} <span class="role">(${session.role})</span></span>
  <input type="hidden" name="_csrf" value="${session.csrf}">
  <button type="submit" class="secondary">Sign out</button>
</form>`;
  return `<!doctype html>${markup`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${session === null ? '' : markup`<meta name="csrf-token" content="${session.csrf}">`}
<meta name="base-path" content="${basePath}">
<title>${options.title} · ${options.appTitle}</title>
<link rel="stylesheet" href="${basePath}/assets/admin.css">
<script src="${basePath}/assets/admin.js" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
  <span class="brand">${options.appTitle}</span>
  ${session === null ? '' : markup`<nav aria-label="Admin pages"><ul>${nav}</ul></nav>`}
  ${account}
</header>
<main id="main" tabindex="-1">
<h1>${options.title}</h1>
${body}
</main>
</body>
</html>`}`;
}
