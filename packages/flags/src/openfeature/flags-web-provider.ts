import type { EvaluationContext, JsonValue, ResolutionDetails } from '@openfeature/core';
import { createFlagClient } from '../create-evaluable-flag-client.js';
import type { FlagClientOptions } from '../flag-client.js';
import type { FlagSource } from './flag-source.js';
import { FlagsProviderBase } from './flags-provider-base.js';
import { resolveBoolean, typeMismatch } from './resolve-boolean.js';

/**
 * An OpenFeature provider for `@openfeature/web-sdk` (synchronous evaluation in the browser).
 * Boolean flags resolve from `context.targetingKey`; pair it with `getAnonymousId()` from
 * `@app/flags/browser` for visitors who are not signed in.
 *
 * @example
 * ```ts
 * import { OpenFeature } from '@openfeature/web-sdk';
 * import { FlagsWebProvider } from '@app/flags/openfeature';
 * import { getAnonymousId } from '@app/flags/browser';
 * await OpenFeature.setContext({ targetingKey: getAnonymousId() });
 * await OpenFeature.setProviderAndWait(new FlagsWebProvider(rows));
 * OpenFeature.getClient().getBooleanValue('testimonial_system', false);
 * ```
 */
export class FlagsWebProvider extends FlagsProviderBase {
  readonly runsOn = 'client' as const;

  constructor(source: FlagSource, options?: FlagClientOptions) {
    super(source, options, createFlagClient);
  }

  resolveBooleanEvaluation(flagKey: string, defaultValue: boolean, context?: EvaluationContext): ResolutionDetails<boolean> {
    return resolveBoolean(this.client, flagKey, defaultValue, context);
  }

  resolveStringEvaluation(flagKey: string, defaultValue: string): ResolutionDetails<string> {
    return typeMismatch(flagKey, defaultValue);
  }

  resolveNumberEvaluation(flagKey: string, defaultValue: number): ResolutionDetails<number> {
    return typeMismatch(flagKey, defaultValue);
  }

  resolveObjectEvaluation<T extends JsonValue>(flagKey: string, defaultValue: T): ResolutionDetails<T> {
    return typeMismatch(flagKey, defaultValue);
  }
}
