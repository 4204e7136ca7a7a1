import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MAX_LISTED_CANDIDATES, MIGRATION_REPORT_SCHEMA_VERSION } from '../src/index.js';

// Figures the README quotes that the code defines: a change of the code must change the README.
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('the README', () => {
  it('documents the report schemaVersion the planner writes, and the candidates limit', () => {
    expect(readme).toContain(`## Report format (\`schemaVersion: ${MIGRATION_REPORT_SCHEMA_VERSION}\`)`);
    expect(readme).toContain(`| \`format\`, \`schemaVersion\` | \`"campaign-migration-report"\`, \`${MIGRATION_REPORT_SCHEMA_VERSION}\``);
    expect(readme).toContain(`most ${MAX_LISTED_CANDIDATES} integrations, \`MAX_LISTED_CANDIDATES\``);
  });
});
