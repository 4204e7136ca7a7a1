import { z } from 'zod';

/**
 * What a new flag's name must look like: a letter or digit, then letters, digits, `_`, `.`, `-`
 * or `:`, at most 100 characters in all (`v2_canonical_system`, `checkout.new-flow`). Code,
 * URLs, logs and the Unleash and OpenFeature APIs all carry such names unescaped. Rows that
 * already exist are read with the looser {@link FlagSchema} (any non-empty name), so older flags
 * keep evaluating; every name this pattern accepts, {@link FlagSchema} accepts too.
 */
export const FLAG_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/;

/** The name of a flag being created, validated as {@link FLAG_NAME_PATTERN} says. */
export const FlagNameSchema = z
  .string()
  .regex(FLAG_NAME_PATTERN, 'a letter or digit, then letters, digits, "_", ".", "-" or ":" (at most 100 characters)');
