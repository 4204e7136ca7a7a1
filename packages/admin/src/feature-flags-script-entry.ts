// Runs the feature-flags page's script: the entry size-limit weighs (the handler serves the same source text).
import { featureFlagsScript } from './feature-flags-script.js';

featureFlagsScript();
