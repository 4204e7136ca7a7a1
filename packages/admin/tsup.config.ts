import { defineLibraryConfig } from '../../tsup.base.js';

// The pages' scripts are built on their own only so size-limit can weigh them.
export default defineLibraryConfig({
  index: 'src/index.ts',
  'admin-script': 'src/admin-script-entry.ts',
  'feature-flags-script': 'src/feature-flags-script-entry.ts',
});
