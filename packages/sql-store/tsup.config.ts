import { defineLibraryConfig } from '../../tsup.base.js';

export default defineLibraryConfig({ index: 'src/index.ts' });
