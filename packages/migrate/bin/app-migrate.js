#!/usr/bin/env node
// The bin npm and pnpm link: a committed file, so installing the workspace links it before any
// build (a bin pointing into dist/ made a fresh `pnpm install` warn "Failed to create bin"). The
// CLI itself is the built dist/cli.js.
import('../dist/cli.js').catch((error) => {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('cli.js')) {
    process.stderr.write('app-migrate: the CLI is not built yet (dist/cli.js is missing): run pnpm build in the repository first.\n');
    process.exit(1);
  }
  throw error;
});
