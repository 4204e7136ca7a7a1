/**
 * Characters that must never reach a terminal as they are: C0 controls (newline, carriage return,
 * ESC of ANSI sequences, backspace…), DEL and C1 controls (0x9b is a one-byte CSI), the Unicode
 * line and paragraph separators, and the bidirectional marks, embeddings, overrides and isolates
 * that make text read in another order than it is.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * `text` safe to print on one line: every control, separator and bidi character written as an
 * escape (`\n`, `\r`, `\t`, `\x1b`, `\u202e`), everything else as it is. Every line the CLI prints
 * goes through it, since names, descriptions, ids, failure reasons and error messages come from
 * the database or the command line: a flag named `"x\n\x1b[32mOK"` must not forge a line.
 */
export function printable(text: string): string {
  return text.replace(UNSAFE, (character) => {
    const named = NAMED[character];
    if (named !== undefined) return named;
    const code = character.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
