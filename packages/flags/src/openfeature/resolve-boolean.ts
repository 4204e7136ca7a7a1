import type { ErrorCode, EvaluationContext, ResolutionDetails } from '@openfeature/core';
import type { FlagClient } from '../flag-client.js';
import type { FlagTelemetry } from '../flag-telemetry.js';

/** Maps an evaluation of `@app/flags` onto OpenFeature's resolution details, counting it in `exposures` when given. */
export function resolveBoolean(
  client: FlagClient,
  flagKey: string,
  defaultValue: boolean,
  context: EvaluationContext | undefined,
  exposures?: Pick<FlagTelemetry, 'recordEvaluation'>,
): ResolutionDetails<boolean> {
  const evaluation = client.evaluate(flagKey, context?.targetingKey);
  // The evaluation itself: an error is `off` (its value is false), whatever default the caller gave.
  exposures?.recordEvaluation(evaluation);
  if (evaluation.errorCode !== undefined) {
    return {
      value: defaultValue,
      reason: evaluation.reason,
      // Our codes are a subset of OpenFeature's ErrorCode enum, spelled the same.
      errorCode: evaluation.errorCode as unknown as ErrorCode,
      ...(evaluation.errorMessage === undefined ? {} : { errorMessage: evaluation.errorMessage }),
    };
  }
  return {
    value: evaluation.value,
    reason: evaluation.reason,
    variant: evaluation.value ? 'on' : 'off',
    flagMetadata: evaluation.bucket === undefined ? {} : { bucket: evaluation.bucket },
  };
}

/** `@app/flags` only serves boolean flags; any other type is a mismatch, never a throw. */
export function typeMismatch<T>(flagKey: string, defaultValue: T): ResolutionDetails<T> {
  return {
    value: defaultValue,
    reason: 'ERROR',
    errorCode: 'TYPE_MISMATCH' as unknown as ErrorCode,
    errorMessage: `Feature flag "${flagKey}" is a boolean flag; @app/flags serves booleans only`,
  };
}
