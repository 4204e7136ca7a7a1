import { defineLibraryConfig } from '../../tsup.base.js';

// `admin-script` is built on its own only so size-limit can weigh the page's script.
export default defineLibraryConfig({ index: 'src/index.ts', 'admin-script': 'src/admin-script-entry.ts' });
