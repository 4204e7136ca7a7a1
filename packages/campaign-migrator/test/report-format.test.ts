import { describe, expect, it } from 'vitest';
import {
  createResolutionsTemplate,
  formatReportCsv,
  formatReportMarkdown,
  InvalidReportError,
  MigrationReportSchema,
  planCampaignMigration,
  REPORT_CSV_COLUMNS,
} from '../src/index.js';
import { deepFreeze, parseCsv } from './helpers.js';

const integrations = deepFreeze([
  { id: 'shop-1', user_id: 'u1', provider: 'shopify', name: 'Store | "EU", =main' },
  { id: 'shop-2', user_id: 'u1', provider: 'shopify' },
  { id: 'stripe-1', user_id: 'u2', provider: 'stripe' },
]);
const campaigns = deepFreeze([
  { id: 'z-last', user_id: 'u2', data_source: 'stripe', integration_settings: { events: ['charge.succeeded', 'invoice.paid'] } },
  { id: 'a-first', user_id: 'u1', data_source: 'shopify' },
  { id: '=HYPERLINK("http://evil")', user_id: 'u1', data_source: '+cmd' },
  { id: 'line\nbreak', user_id: 'u1', native_config: { text: 'a, "b"' } },
  { id: '-5', user_id: 'u1', data_source: '@SUM(A1)' },
  'not a row',
]);

describe('a formatter given something that is not a report', () => {
  it('throws an InvalidReportError naming the function and the field, and the run-result slip', () => {
    const report = planCampaignMigration(campaigns, integrations);
    // What runCampaignMigration of @app/migrate returns: the report is one of its fields.
    const run = { mode: 'dry-run', status: 'completed', report, written: 0, totalWritten: 0, resumedFrom: null };
    for (const [name, format] of [
      ['formatReportMarkdown', formatReportMarkdown],
      ['formatReportCsv', formatReportCsv],
      ['createResolutionsTemplate', createResolutionsTemplate],
    ] as const) {
      const thrown = (() => {
        try {
          format(run as never);
        } catch (error) {
          return error;
        }
        return undefined;
      })();
      expect(thrown).toBeInstanceOf(InvalidReportError);
      expect(thrown).toBeInstanceOf(TypeError);
      expect(thrown).toMatchObject({ code: 'INVALID_REPORT', field: 'report.format' });
      expect((thrown as Error).message).toBe(
        `${name}: the argument is not a campaign migration report (MigrationReportSchema): report.format Invalid input: expected "campaign-migration-report" (this is a run result: pass its .report)`,
      );
      expect(() => format(null as never)).toThrow(InvalidReportError);
      expect(() => format(report)).not.toThrow();
    }
  });
});

describe('the report', () => {
  const report = planCampaignMigration(campaigns, integrations);

  it('is versioned JSON that validates against its exported schema after a JSON round trip', () => {
    const roundTrip = JSON.parse(JSON.stringify(report));
    expect(MigrationReportSchema.safeParse(roundTrip).success).toBe(true);
    expect(roundTrip).toMatchObject({ format: 'campaign-migration-report', schemaVersion: 3, ownerKey: 'user_id', singleOwner: false });
  });

  it('orders items by campaign id (code-unit order), rows without an id last, whatever the input order', () => {
    expect(report.items.map((item) => item.campaignId)).toEqual(['-5', '=HYPERLINK("http://evil")', 'a-first', 'line\nbreak', 'z-last', null]);
    const reversed = planCampaignMigration([...campaigns].reverse(), integrations);
    expect(reversed.items.map((item) => item.campaignId)).toEqual(report.items.map((item) => item.campaignId));
    expect(reversed.summary).toEqual(report.summary);
  });

  it('counts every outcome and reason, zero included', () => {
    expect(report.summary).toEqual({
      total: 6,
      outcomes: { migrated: 1, native: 1, already_migrated: 0, ambiguous: 3, skipped: 0, invalid: 1 },
      reasons: {
        NO_OWNER: 0,
        NO_MATCHING_INTEGRATION: 0,
        NO_SOURCE: 0,
        ORPHANED_INTEGRATION: 0,
        MULTIPLE_MATCHING_INTEGRATIONS: 1,
        UNKNOWN_PROVIDER: 2,
        INTEGRATION_PROVIDER_MISMATCH: 0,
        CONFLICTING_SOURCES: 0,
      },
      writes: 2,
      resolutionsApplied: 0,
      integrationIssues: 0,
      resolutionErrors: 0,
    });
  });
});

describe('formatReportCsv', () => {
  const csv = formatReportCsv(planCampaignMigration(campaigns, integrations));
  const rows = parseCsv(csv);

  it('writes RFC 4180: a header, one row per item, CRLF line ends, every row the same width', () => {
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(rows[0]).toEqual([...REPORT_CSV_COLUMNS]);
    expect(rows).toHaveLength(7);
    for (const row of rows) expect(row).toHaveLength(REPORT_CSV_COLUMNS.length);
    expect(rows.find((row) => row[0] === 'line\nbreak')?.[8]).toBe('[{"text":"a, \\"b\\""}]');
  });

  it('defuses cells a spreadsheet would run as a formula (= + - @)', () => {
    const cells = rows.flat();
    expect(cells).toContain('\'=HYPERLINK("http://evil")');
    expect(cells).toContain("'+cmd");
    expect(cells).toContain("'-5");
    expect(cells).toContain("'@SUM(A1)");
    expect(cells.filter((cell) => /^[=+\-@]/.test(cell))).toEqual([]);
    expect(csv).toContain('"\'=HYPERLINK(""http://evil"")"');
  });
});

describe('formatReportMarkdown', () => {
  const markdown = formatReportMarkdown(planCampaignMigration(campaigns, integrations));

  it('has the summary tables and a review table with the candidates', () => {
    expect(markdown).toContain('| migrated | 1 |');
    expect(markdown).toContain('| UNKNOWN_PROVIDER | 2 |');
    expect(markdown).toContain('## Needs review (3)');
    expect(markdown).toContain('| a-first | MULTIPLE_MATCHING_INTEGRATIONS | shop-1 (shopify, Store \\| "EU", =main), shop-2 (shopify) |');
    expect(markdown).toContain('## Invalid rows (1)');
  });

  it('keeps row data from breaking the tables (pipes escaped, line breaks flattened, no raw HTML)', () => {
    const tableLines = markdown.split('\n').filter((line) => line.startsWith('|'));
    for (const line of tableLines) expect(line.endsWith('|')).toBe(true);
    expect(markdown).not.toContain('line\nbreak');
    const withHtml = formatReportMarkdown(planCampaignMigration([{ id: '<script>x</script>' }], []));
    expect(withHtml).not.toContain('<script>');
    expect(withHtml).toContain('&lt;script&gt;');
  });
});

describe('many rows sharing ids', () => {
  // 20,000 rows on 3 ids: a message listing every position (rebuilt per row) made this quadratic.
  const rows = Array.from({ length: 20_000 }, (_, i) => ({ id: `dup-${i % 3}`, user_id: 'u1', data_source: 'shopify' }));
  const report = planCampaignMigration(rows, integrations);

  it('marks every row invalid with a message naming the first positions and the count', () => {
    expect(report.summary.outcomes.invalid).toBe(20_000);
    const first = report.items.find((item) => item.campaignId === 'dup-1');
    expect(first?.invalid).toEqual({ field: 'id', why: 'is shared by 6667 campaign rows (positions 1, 4, 7 and 6664 more)' });
    expect(Math.max(...report.items.map((item) => item.message.length))).toBeLessThan(200);
  });

  it('still builds the JSON, CSV and Markdown reports', () => {
    expect(MigrationReportSchema.safeParse(JSON.parse(JSON.stringify(report))).success).toBe(true);
    expect(parseCsv(formatReportCsv(report))).toHaveLength(20_001);
    expect(formatReportMarkdown(report)).toContain('## Invalid rows (20000)');
  });

  it('names the positions without "more" when there are only a few', () => {
    const pair = planCampaignMigration([{ id: 'x' }, { id: 'y' }, { id: 'x' }], []);
    expect(pair.items.filter((item) => item.campaignId === 'x').map((item) => item.invalid?.why)).toEqual([
      'is shared by 2 campaign rows (positions 0, 2)',
      'is shared by 2 campaign rows (positions 0, 2)',
    ]);
  });
});

describe('formatReportMarkdown under singleOwner', () => {
  it('says owner columns were ignored instead of naming one', () => {
    expect(formatReportMarkdown(planCampaignMigration([], [], { singleOwner: true }))).toContain('owner columns ignored (singleOwner');
    expect(formatReportMarkdown(planCampaignMigration([], []))).toContain('owner column `user_id`');
  });
});
