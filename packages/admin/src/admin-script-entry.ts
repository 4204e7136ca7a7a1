// Runs the page's script: the entry size-limit weighs (the handler serves the same source text).
import { adminScript } from './admin-script.js';

adminScript();
