import { defineLibraryConfig } from '../../tsup.base.js';

export default defineLibraryConfig({ index: 'src/index.ts', core: 'src/core.ts', testing: 'src/testing.ts', cli: 'src/cli/main.ts' });
