import type { StoreTable } from './store-table.js';
import type { ResolvedNames } from './table-names.js';

/**
 * The columns of the product's tables that hold JSON (with the team's own names where configured):
 * decoded as JSON whatever their declared type, since legacy databases often keep JSON in text
 * columns. Adapters add the columns the database itself declares as JSON.
 */
export function knownJsonColumns(names: ResolvedNames, table: StoreTable): Set<string> {
  switch (table) {
    case 'events':
      return new Set([names.rawColumns.eventData, names.rawColumns.canonicalEvent]);
    case 'campaigns':
      return new Set(['native_config', 'integration_settings', names.rawColumns.campaignDataSourcesV2]);
    case 'integrations':
      return new Set(['settings']);
    case 'featureFlags':
      return new Set(['metadata']);
  }
}
