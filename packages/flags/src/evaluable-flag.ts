/**
 * The columns evaluation reads. Every parsed `Flag` is one; `@app/flags/core` clients hold rows
 * checked only on these columns, so widgets can validate without zod.
 */
export interface EvaluableFlag {
  name: string;
  enabled: boolean;
  rollout_percentage: number;
  metadata?: Record<string, unknown> | null;
}
