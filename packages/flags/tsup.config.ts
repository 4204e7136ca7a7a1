import { defineLibraryConfig } from '../../tsup.base.js';

export default defineLibraryConfig({
  index: 'src/index.ts',
  core: 'src/core.ts',
  browser: 'src/browser.ts',
  unleash: 'src/unleash.ts',
  openfeature: 'src/openfeature.ts',
  'openfeature-web': 'src/openfeature-web.ts',
  plan: 'src/plan.ts',
  beacon: 'src/beacon.ts',
});
