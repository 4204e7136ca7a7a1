import type { EvaluationDetails, FlagValue, HookContext } from '@openfeature/core';
import type { FlagTelemetry } from '../flag-telemetry.js';

/**
 * An OpenFeature hook that counts every boolean evaluation (flag, value, reason) in a
 * {@link FlagTelemetry}: `OpenFeature.addHooks(new FlagTelemetryHook(telemetry))`, on the server
 * or the web SDK, whatever the provider. Errors count as `off` with reason `ERROR`.
 */
export class FlagTelemetryHook {
  constructor(private readonly telemetry: Pick<FlagTelemetry, 'recordEvaluation'>) {}

  after(_hookContext: Readonly<HookContext>, details: EvaluationDetails<FlagValue>): void {
    this.telemetry.recordEvaluation({ flagName: details.flagKey, value: details.value === true, reason: (details.reason ?? 'UNKNOWN') as never });
  }

  error(hookContext: Readonly<HookContext>): void {
    this.telemetry.recordEvaluation({ flagName: hookContext.flagKey, value: false, reason: 'ERROR' });
  }
}
