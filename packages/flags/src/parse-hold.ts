const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * The milliseconds of a stage's hold: a whole number and a unit, `m` (minutes), `h`, `d` or `w`
 * (weeks): `'90m'`, `'24h'`, `'2d'`, `'1w'`. `undefined` for anything else (`'1.5h'`, `'24'`, `'0h'`).
 */
export function parseHold(hold: unknown): number | undefined {
  const match = typeof hold === 'string' ? /^([1-9]\d{0,5})([mhdw])$/.exec(hold) : null;
  return match ? Number(match[1]) * UNIT_MS[match[2]!]! : undefined;
}
