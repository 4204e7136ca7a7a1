import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CLEANUP_AFTER_MS,
  FlagNameSchema,
  FlagSchema,
  ROLLOUT_STAGES,
  cleanupReadiness,
  exposureOf,
  rolloutGuidance,
  rolloutStatus,
  rolloutWarnings,
  stageEnteredAt,
} from '../src/index.js';

const HOUR = 3_600_000;
const now = new Date('2026-03-10T12:00:00.000Z');
const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();
const state = fc.record({ enabled: fc.boolean(), rollout_percentage: fc.integer({ min: 0, max: 100 }) });

describe('rolloutStatus', () => {
  it('names the four badges of the seed', () => {
    expect(rolloutStatus({ enabled: false, rollout_percentage: 0 })).toEqual({ kind: 'off', exposure: 0, label: 'Off' });
    expect(rolloutStatus({ enabled: false, rollout_percentage: 50 })).toEqual({ kind: 'disabled', exposure: 0, label: 'Disabled at 50 %' });
    expect(rolloutStatus({ enabled: true, rollout_percentage: 10 })).toEqual({ kind: 'rolling-out', exposure: 10, label: 'Rolling out 10 %' });
    expect(rolloutStatus({ enabled: 1, rollout_percentage: 100 })).toEqual({ kind: 'on', exposure: 100, label: 'Fully on' });
    expect(rolloutStatus({ enabled: true, rollout_percentage: 0 })).toMatchObject({ kind: 'off', exposure: 0 });
  });
});

describe('rolloutWarnings', () => {
  it('warns when lowering and when jumping a stage, and not along the plan', () => {
    const at = (enabled: boolean, rollout_percentage: number) => ({ enabled, rollout_percentage });
    expect(rolloutWarnings(at(true, 50), at(true, 10))).toEqual([{ kind: 'lowering', message: expect.stringContaining('40 %') }]);
    expect(rolloutWarnings(at(true, 50), at(false, 50))).toMatchObject([{ kind: 'lowering' }]);
    expect(rolloutWarnings(at(false, 0), at(true, 50))).toMatchObject([{ kind: 'jumping', message: expect.stringContaining('10 %') }]);
    expect(rolloutWarnings(at(true, 10), at(true, 100))).toMatchObject([{ kind: 'jumping' }]);
    // Re-enabling a flag that was disabled at 50 % exposes 50 % at once.
    expect(rolloutWarnings(at(false, 50), at(true, 50))).toMatchObject([{ kind: 'jumping' }]);
    for (let i = 1; i < ROLLOUT_STAGES.length; i++) {
      expect(rolloutWarnings(at(true, ROLLOUT_STAGES[i - 1]!), at(true, ROLLOUT_STAGES[i]!))).toEqual([]);
    }
    expect(rolloutWarnings(at(false, 0), at(true, 5))).toEqual([]);
    expect(rolloutWarnings(at(true, 30), at(true, 50))).toEqual([]);
  });

  it('law: lowering is warned exactly when exposure drops; a raise is warned only past the next stage', () => {
    fc.assert(
      fc.property(state, state, (from, to) => {
        const warnings = rolloutWarnings(from, to);
        const lowering = exposureOf(to) < exposureOf(from);
        expect(warnings.some((w) => w.kind === 'lowering')).toBe(lowering);
        if (exposureOf(to) >= exposureOf(from)) {
          const next = ROLLOUT_STAGES.find((stage) => stage > exposureOf(from)) ?? 100;
          expect(warnings.length > 0).toBe(exposureOf(to) > next);
        }
        expect(warnings.length).toBeLessThanOrEqual(1);
      }),
    );
  });
});

describe('rolloutGuidance', () => {
  it('counts the time at the current stage from the history, ignoring description edits', () => {
    const history = [
      { field: 'description', changedAt: ago(1 * HOUR) },
      { field: 'rollout_percentage', changedAt: ago(5 * HOUR) },
      { field: 'enabled', changedAt: ago(30 * HOUR) },
    ];
    const guidance = rolloutGuidance({ enabled: true, rollout_percentage: 10 }, history, now);
    expect(guidance).toMatchObject({ stage: { percentage: 10 }, heldMs: 5 * HOUR, remainingMs: 19 * HOUR, next: 50 });
    expect(guidance.message).toBe('At 10 % for 5 h of the recommended 24 h at 10 %: hold 19 h more, then go to 50 %.');
    const held = rolloutGuidance({ enabled: true, rollout_percentage: 50 }, [{ field: 'rollout_percentage', changedAt: ago(49 * HOUR) }], now);
    expect(held).toMatchObject({ stage: { percentage: 50 }, remainingMs: 0, next: 100 });
    expect(held.message).toContain('go to 100 %');
    const full = rolloutGuidance({ enabled: true, rollout_percentage: 100 }, [{ field: 'rollout_percentage', changedAt: ago(2 * 24 * HOUR) }], now);
    expect(full).toMatchObject({ stage: { percentage: 100 }, remainingMs: 5 * 24 * HOUR, next: null });
    expect(full.message).toContain('5 d more, then plan cleanup');
  });

  it('falls back to the row time without history, and guides an off or disabled flag', () => {
    expect(rolloutGuidance({ enabled: true, rollout_percentage: 25 }, [], now, ago(2 * HOUR))).toMatchObject({ stage: { percentage: 10 }, heldMs: 2 * HOUR, next: 50 });
    expect(rolloutGuidance({ enabled: false, rollout_percentage: 0 }, [], now)).toMatchObject({ stage: null, next: 10, message: expect.stringContaining('Start the rollout at 10 %') });
    expect(rolloutGuidance({ enabled: false, rollout_percentage: 50 }, [], now).message).toContain('exposes 50 % at once');
    expect(stageEnteredAt([], null)).toBeNull();
  });
});

describe('cleanupReadiness', () => {
  it('marks flags fully on or off and unchanged for 14 days', () => {
    const old = [{ field: 'rollout_percentage', changedAt: ago(CLEANUP_AFTER_MS) }];
    const recent = [{ field: 'enabled', changedAt: ago(CLEANUP_AFTER_MS - 1) }];
    expect(cleanupReadiness({ enabled: true, rollout_percentage: 100 }, old, now)).toMatchObject({ ready: true, state: 'on' });
    expect(cleanupReadiness({ enabled: false, rollout_percentage: 30 }, old, now)).toMatchObject({ ready: true, state: 'off' });
    expect(cleanupReadiness({ enabled: true, rollout_percentage: 100 }, recent, now)).toMatchObject({ ready: false, state: 'on' });
    expect(cleanupReadiness({ enabled: true, rollout_percentage: 50 }, old, now)).toMatchObject({ ready: false, state: 'partial' });
    expect(cleanupReadiness({ enabled: true, rollout_percentage: 100 }, [{ field: 'description', changedAt: ago(1) }], now, ago(CLEANUP_AFTER_MS + 1)).ready).toBe(true);
    expect(cleanupReadiness({ enabled: true, rollout_percentage: 100 }, [], now).ready).toBe(false);
  });
});

describe('FlagNameSchema', () => {
  it('accepts plain names and refuses markup, spaces and empty names; every accepted name passes FlagSchema', () => {
    for (const name of ['v2_canonical_system', 'checkout.new-flow', 'team:beta', 'A1']) expect(FlagNameSchema.safeParse(name).success).toBe(true);
    for (const name of ['', '<script>alert(1)</script>', 'has space', '_leading', 'x'.repeat(101), 'naïve', 'a"b']) expect(FlagNameSchema.safeParse(name).success).toBe(false);
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), (name) => {
        if (FlagNameSchema.safeParse(name).success) expect(FlagSchema.safeParse({ name, enabled: false, rollout_percentage: 0 }).success).toBe(true);
      }),
    );
  });
});
