import type { EvaluationContext, JsonValue, ResolutionDetails } from '@openfeature/core';
import { type ServerFlagClientOptions, createFlagClient } from '../create-parsed-flag-client.js';
import type { FlagSource } from './flag-source.js';
import { FlagsProviderBase } from './flags-provider-base.js';
import { resolveBoolean, typeMismatch } from './resolve-boolean.js';

/**
 * An OpenFeature provider for `@openfeature/server-sdk`. Boolean flags resolve from
 * `context.targetingKey` with the same buckets as `isEnabled`; other types resolve to the
 * caller's default with `TYPE_MISMATCH`.
 *
 * @example
 * ```ts
 * import { OpenFeature } from '@openfeature/server-sdk';
 * import { FlagsServerProvider } from '@app/flags/openfeature';
 * await OpenFeature.setProviderAndWait(new FlagsServerProvider(rows));
 * const on = await OpenFeature.getClient().getBooleanValue('v2_canonical_system', false, { targetingKey: userId });
 * ```
 */
export class FlagsServerProvider extends FlagsProviderBase {
  readonly runsOn = 'server' as const;

  /** `options.now` is the clock rollout plans are followed with, as for `createFlagClient` of `@app/flags`. */
  constructor(source: FlagSource, options?: ServerFlagClientOptions) {
    super(source, options, createFlagClient);
  }

  async resolveBooleanEvaluation(
    flagKey: string,
    defaultValue: boolean,
    context?: EvaluationContext,
  ): Promise<ResolutionDetails<boolean>> {
    return resolveBoolean(this.client, flagKey, defaultValue, context);
  }

  async resolveStringEvaluation(flagKey: string, defaultValue: string): Promise<ResolutionDetails<string>> {
    return typeMismatch(flagKey, defaultValue);
  }

  async resolveNumberEvaluation(flagKey: string, defaultValue: number): Promise<ResolutionDetails<number>> {
    return typeMismatch(flagKey, defaultValue);
  }

  async resolveObjectEvaluation<T extends JsonValue>(flagKey: string, defaultValue: T): Promise<ResolutionDetails<T>> {
    return typeMismatch(flagKey, defaultValue);
  }
}
