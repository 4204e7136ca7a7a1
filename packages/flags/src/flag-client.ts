import type { EvaluableFlag } from './evaluable-flag.js';
import { type SubjectKey, evaluate } from './evaluate.js';
import type { EvaluateOptions, FlagEvaluation } from './evaluation.js';
import { type InvalidFlagRow, invalidFlagRow } from './invalid-flag-row.js';
import type { ReadFlagResult } from './read-evaluable-flag.js';

/** Options of `createFlagClient`. */
export interface FlagClientOptions extends EvaluateOptions {
  /** Called once per invalid or duplicate row, when the client is created. */
  onInvalidFlag?: (error: InvalidFlagRow) => void;
}

/** A snapshot of flags that answers for any subject. Create a new one when the rows change. */
export interface FlagClient<F extends EvaluableFlag = EvaluableFlag> {
  /** Whether `flagName` is on for `subjectKey`; unknown or invalid flags are `false`. */
  isEnabled(flagName: string, subjectKey: SubjectKey): boolean;
  /** The full evaluation with its reason; unknown flags give `ERROR` with `FLAG_NOT_FOUND`. */
  evaluate(flagName: string, subjectKey: SubjectKey): FlagEvaluation;
  /** Names of every valid flag that is on for `subjectKey`, in input order. */
  allEnabled(subjectKey: SubjectKey): string[];
  /** The valid flags, in input order. */
  readonly flags: readonly F[];
  /**
   * One report per invalid or duplicate row; those flags evaluate to `false`. In `@app/flags`
   * they are `FlagValidationError`s; in `@app/flags/core`, plain objects of the same shape.
   */
  readonly errors: readonly InvalidFlagRow[];
}

/**
 * The client both entries share; they differ only in how a row is read (zod in `@app/flags`,
 * the evaluation columns only in `@app/flags/core`).
 */
export function createFlagClientWith<F extends EvaluableFlag>(
  rowsOrFlags: readonly unknown[],
  read: (row: unknown, rowIndex: number) => ReadFlagResult<F>,
  given?: FlagClientOptions,
): FlagClient<F> {
  // Own options only, read once: a polluted Object.prototype supplies no callback or bucketing.
  const options = { __proto__: null, ...given } as FlagClientOptions;
  const byName = new Map<string, F>();
  const broken = new Map<string | undefined, InvalidFlagRow>();
  const errors: InvalidFlagRow[] = [];
  const report = (error: InvalidFlagRow, flagName = error.flagName) => {
    errors.push(error);
    options.onInvalidFlag?.(error);
    // A row without a readable name is kept under `undefined`, which no flag name (a string) asks for.
    if (!broken.has(flagName)) broken.set(flagName, error);
  };

  (Array.isArray(rowsOrFlags) ? rowsOrFlags : [rowsOrFlags]).forEach((row, rowIndex) => {
    let result: ReadFlagResult<F>;
    try {
      result = read(row, rowIndex);
    } catch {
      // A getter or Proxy trap threw: this row alone fails, without its name (it cannot be read).
      result = { ok: false, error: invalidFlagRow({ field: '(row)', expected: 'readable', rowIndex }) };
    }
    if (!result.ok) return report(result.error);
    const { name } = result.flag;
    if (byName.has(name) || broken.has(name)) {
      // A second row of the same name makes the flag ambiguous: neither copy is trusted.
      byName.delete(name);
      return report(invalidFlagRow({ flagName: name, field: 'name', expected: 'unique', received: name, rowIndex }));
    }
    byName.set(name, result.flag);
  });

  const flags = [...byName.values()];
  const evaluateByName = (flagName: string, subjectKey: SubjectKey): FlagEvaluation => {
    const flag = byName.get(flagName);
    if (flag) return evaluate(flag, subjectKey, options);
    const error = broken.get(flagName);
    return {
      flagName,
      value: false,
      reason: 'ERROR',
      errorCode: error ? 'PARSE_ERROR' : 'FLAG_NOT_FOUND',
      errorMessage: error ? error.message : `Feature flag "${flagName}" does not exist`,
    };
  };

  return {
    flags,
    errors,
    evaluate: evaluateByName,
    isEnabled: (flagName, subjectKey) => evaluateByName(flagName, subjectKey).value,
    allEnabled: (subjectKey) => flags.filter((flag) => evaluate(flag, subjectKey, options).value).map((f) => f.name),
  };
}
