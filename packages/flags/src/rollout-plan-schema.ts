import { z } from 'zod';
import { parseHold } from './parse-hold.js';
import { PLAN_FIELD_EXPECTATIONS as WORDS } from './plan-field-expectations.js';
import type { RolloutPlan } from './rollout-plan.js';

// Every check carries what the field must hold, in the words of `readRolloutPlan` ("an ISO 8601
// time"): a report reads `metadata.rolloutPlan.startAt must be an ISO 8601 time, received …`,
// where zod's own words gave `must be Invalid input: expected string, received undefined`.
const time = (words: string = WORDS.time) => z.string({ error: words }).refine((value) => !Number.isNaN(Date.parse(value)), words);
const integerFrom = (min: number, words: string) => z.number({ error: words }).int({ error: words }).min(min, { error: words });

/** A {@link Guardrail} of a plan, validated. */
export const GuardrailSchema = z.object(
  {
    metric: z.string({ error: WORDS.metric }).min(1, { error: WORDS.metric }),
    threshold: z.number({ error: WORDS.threshold }).finite({ error: WORDS.threshold }).min(0, { error: WORDS.threshold }),
    action: z.enum(['pause', 'rollback'], { error: WORDS.action }),
    minSamples: integerFrom(0, WORDS.minSamples).optional(),
    comparedTo: z.literal('off', { error: WORDS.comparedTo }).optional(),
  },
  { error: WORDS.guardrail },
);

/**
 * The source of truth for a {@link RolloutPlan} (the flag's `metadata.rolloutPlan`), server-side.
 * Stages: 1 to 20, percentages integers rising to at most 100, holds like `'24h'`; `stage` is the
 * index of one of them; `pausedAt` is set while paused. Unknown keys are dropped.
 * `readRolloutPlan` (zod-free, for widgets) applies the same rules.
 */
export const RolloutPlanSchema = z
  .object(
    {
      stages: z
        .array(
          z.object(
            {
              percentage: integerFrom(1, WORDS.percentage).max(100, { error: WORDS.percentage }),
              hold: z
                .string({ error: WORDS.hold })
                .refine((hold) => parseHold(hold) !== undefined, WORDS.hold)
                .optional(),
            },
            { error: WORDS.stage },
          ),
          { error: WORDS.stages },
        )
        .min(1, { error: WORDS.stages })
        .max(20, { error: WORDS.stages })
        .refine((stages) => stages.every((stage, i) => i === 0 || stage.percentage > stages[i - 1]!.percentage), 'in rising order (percentages must rise from stage to stage)'),
      startAt: time(),
      state: z.enum(['running', 'paused', 'rolled_back', 'done'], { error: WORDS.state }),
      stage: integerFrom(0, WORDS.stageIndex),
      stageStartedAt: time(),
      pausedAt: time(WORDS.pausedAt).optional(),
      guardrails: z.array(GuardrailSchema, { error: WORDS.guardrails }).max(10, { error: WORDS.guardrails }).optional(),
      decision: z.string({ error: WORDS.decision }).max(500, { error: WORDS.decision }).optional(),
    },
    { error: WORDS.plan },
  )
  .refine((plan) => plan.stage < plan.stages.length, { message: WORDS.stageIndex, path: ['stage'] })
  .refine((plan) => plan.state !== 'paused' || plan.pausedAt !== undefined, { message: WORDS.pausedAt, path: ['pausedAt'] }) satisfies z.ZodType<RolloutPlan>;
