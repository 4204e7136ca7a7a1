import { adminScript } from './admin-script.js';

/** The text of `/assets/admin.js`: {@link adminScript}'s source, run once the document is parsed (the tag is `defer`). */
export const ADMIN_SCRIPT_SOURCE = `(${adminScript.toString()})();\n`;
