/**
 * What each field of a rollout plan must hold, in words, for `RolloutPlanSchema`'s messages: a bad
 * plan reads as one sentence wherever it is reported
 * (`metadata.rolloutPlan.stages must be an array of 1 to 20 stages, received …`). The zod-free
 * `readRolloutPlan` writes the same words inline (an object of them would cost a widget's bundle
 * 0.1 kB); a property test holds the two to the same words.
 */
export const PLAN_FIELD_EXPECTATIONS = {
  plan: 'an object',
  stages: 'an array of 1 to 20 stages',
  stage: 'an object',
  percentage: 'an integer up to 100, above the stage before (and above 0)',
  hold: "a duration such as '30m', '24h', '2d' or '1w'",
  time: 'an ISO 8601 time',
  state: 'one of running, paused, rolled_back, done',
  stageIndex: 'the index of one of the stages',
  pausedAt: 'an ISO 8601 time (set while paused)',
  decision: 'a string of at most 500 characters',
  guardrails: 'an array of at most 10 guardrails',
  guardrail: 'an object',
  metric: 'a non-empty string',
  threshold: 'a finite number, at least 0',
  action: '"pause" or "rollback"',
  minSamples: 'an integer, at least 0',
  comparedTo: '"off"',
} as const;
