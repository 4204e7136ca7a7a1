import { z } from 'zod';
import { parseHold } from './parse-hold.js';
import type { RolloutPlan } from './rollout-plan.js';

const time = z.string().refine((value) => !Number.isNaN(Date.parse(value)), 'an ISO 8601 time');

/** A {@link Guardrail} of a plan, validated. */
export const GuardrailSchema = z.object({
  metric: z.string().min(1),
  threshold: z.number().finite().min(0),
  action: z.enum(['pause', 'rollback']),
  minSamples: z.number().int().min(0).optional(),
  comparedTo: z.literal('off').optional(),
});

/**
 * The source of truth for a {@link RolloutPlan} (the flag's `metadata.rolloutPlan`), server-side.
 * Stages: 1 to 20, percentages integers rising to at most 100, holds like `'24h'`; `stage` is the
 * index of one of them; `pausedAt` is set while paused. Unknown keys are dropped.
 * `readRolloutPlan` (zod-free, for widgets) applies the same rules.
 */
export const RolloutPlanSchema = z
  .object({
    stages: z
      .array(
        z.object({
          percentage: z.number().int().min(1).max(100),
          hold: z.string().refine((hold) => parseHold(hold) !== undefined, "a duration such as '30m', '24h', '2d' or '1w'").optional(),
        }),
      )
      .min(1)
      .max(20)
      .refine((stages) => stages.every((stage, i) => i === 0 || stage.percentage > stages[i - 1]!.percentage), 'percentages must rise from stage to stage'),
    startAt: time,
    state: z.enum(['running', 'paused', 'rolled_back', 'done']),
    stage: z.number().int().min(0),
    stageStartedAt: time,
    pausedAt: time.optional(),
    guardrails: z.array(GuardrailSchema).max(10).optional(),
    decision: z.string().max(500).optional(),
  })
  .refine((plan) => plan.stage < plan.stages.length, { message: 'the index of one of the stages', path: ['stage'] })
  .refine((plan) => plan.state !== 'paused' || plan.pausedAt !== undefined, { message: 'an ISO 8601 time (set while paused)', path: ['pausedAt'] }) satisfies z.ZodType<RolloutPlan>;
