/** One place a flag's name appears in source code. */
export interface FlagReference {
  flagName: string;
  /** The file, relative to the directory searched (`/`-separated). */
  file: string;
  /** From 1. */
  line: number;
  /** From 1. */
  column: number;
  /** The line, trimmed (at most 200 characters). */
  text: string;
}

/** The source files searched: TypeScript, JavaScript, JSX/TSX, Vue and Svelte templates. */
export const SOURCE_EXTENSIONS: readonly string[] = ['.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs', '.mts', '.cts', '.vue', '.svelte'];

// A flag name is a whole token: not inside a longer name (`checkout` in `checkout.new-flow` or
// `checkout_v2`), but a property may follow a dot (`flags.checkout` in a template).
const WORD = /[A-Za-z0-9_]/;
const JOINER = /[.\-]/;

/** Every whole-token occurrence of each name in `text` (pure). */
export function findFlagReferencesIn(file: string, text: string, flagNames: readonly string[]): FlagReference[] {
  const found: FlagReference[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  lines.forEach((line, index) => {
    for (const flagName of flagNames) {
      for (let at = line.indexOf(flagName); at !== -1; at = line.indexOf(flagName, at + 1)) {
        const before = line[at - 1] ?? ' ';
        const after = line[at + flagName.length] ?? ' ';
        const next = line[at + flagName.length + 1] ?? ' ';
        if (WORD.test(before) || before === '-' || WORD.test(after) || (JOINER.test(after) && WORD.test(next))) continue;
        found.push({ flagName, file, line: index + 1, column: at + 1, text: line.trim().slice(0, 200) });
      }
    }
  });
  return found;
}

