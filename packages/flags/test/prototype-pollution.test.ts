import { describe, expect, it } from 'vitest';
import * as core from '../src/core.js';
import * as full from '../src/index.js';

// A polluted Object.prototype (another library's bug, a merged `__proto__` body) must not turn a
// flag on, change its percentage or move its cohort: rows, metadata and options are read through
// their own properties only.
const POLLUTION: Record<string, unknown> = {
  name: 'polluted',
  enabled: true,
  rollout_percentage: 100,
  metadata: { unleash_group_id: 'polluted-group' },
  unleash_group_id: 'polluted-group',
  bucketing: { bucketOf: () => 1, includes: () => true },
  created_at: 'not a date',
  onInvalidFlag: () => {
    throw new Error('polluted callback');
  },
};

function withPollutedPrototype<T>(work: () => T): T {
  const added = Object.keys(POLLUTION).filter((key) => !Object.hasOwn(Object.prototype, key));
  try {
    for (const key of added) Object.defineProperty(Object.prototype, key, { value: POLLUTION[key], configurable: true, writable: true });
    return work();
  } finally {
    for (const key of added) delete (Object.prototype as Record<string, unknown>)[key];
  }
}

const ROWS = [
  { name: 'missing_enabled', rollout_percentage: 100 },
  { name: 'missing_percentage', enabled: true },
  { enabled: true, rollout_percentage: 100 },
  { name: 'half', enabled: true, rollout_percentage: 50, metadata: {} },
  { name: 'quarter', enabled: true, rollout_percentage: 25 },
];
const SUBJECTS = Array.from({ length: 50 }, (_, index) => `user-${index}`);

function snapshot(createFlagClient: typeof core.createFlagClient, options?: core.FlagClientOptions) {
  const client = createFlagClient(ROWS, options);
  return {
    errors: client.errors.map((error) => error.message),
    names: client.flags.map((flag) => flag.name),
    answers: ROWS.map((row) => SUBJECTS.map((subject) => client.evaluate((row as { name?: string }).name ?? 'polluted', subject))),
    direct: ROWS.map((row) => SUBJECTS.map((subject) => core.evaluate(row as core.EvaluableFlag, subject))),
  };
}

describe('a polluted Object.prototype', () => {
  it.each([
    ['@app/flags', full.createFlagClient],
    ['@app/flags/core', core.createFlagClient],
  ] as const)('changes no answer of %s', (_entry, createFlagClient) => {
    for (const options of [undefined, {}, { bucketing: full.unleashBucketing() }]) {
      const clean = snapshot(createFlagClient, options);
      const polluted = withPollutedPrototype(() => snapshot(createFlagClient, options));
      expect(polluted).toEqual(clean);
    }
  });

  it('does not move Unleash cohorts through metadata.unleash_group_id', () => {
    const bucketing = full.unleashBucketing();
    const flag = { name: 'half', enabled: true, rollout_percentage: 50, metadata: {} };
    const clean = SUBJECTS.map((subject) => full.evaluate(flag, subject, { bucketing }).bucket);
    const polluted = withPollutedPrototype(() => SUBJECTS.map((subject) => full.evaluate(flag, subject, { bucketing }).bucket));
    expect(polluted).toEqual(clean);
  });

  it('supplies no metadata to Unleash bucketing for a row without it, through evaluate() and the clients', () => {
    const bucketing = full.unleashBucketing();
    const flag = { name: 'half', enabled: true, rollout_percentage: 50 };
    const answers = () => [
      ...SUBJECTS.map((subject) => full.evaluate(flag, subject, { bucketing }).bucket),
      ...SUBJECTS.map((subject) => core.createFlagClient([flag], { bucketing }).evaluate('half', subject).bucket),
    ];
    const clean = answers();
    expect(withPollutedPrototype(answers)).toEqual(clean);
  });
});
