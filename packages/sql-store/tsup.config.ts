import { defineLibraryConfig } from '../../tsup.base.js';

export default defineLibraryConfig(
  { index: 'src/index.ts' },
  {
    // The flag write checks are loaded with the first flag write (`import('@app/migrate')`): the
    // CommonJS build requires them, so a CommonJS process gets the same copy of @app/migrate and
    // @app/flags as the rest of its code (their error classes), not the ESM one beside it.
    esbuildOptions(options, context) {
      if (context.format === 'cjs') options.supported = { ...options.supported, 'dynamic-import': false };
    },
  },
);
