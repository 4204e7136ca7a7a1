/**
 * The product's four system flags, seeded disabled at 0 % (the same names and descriptions as
 * `SYSTEM_FLAGS` of `@app/flags`, kept here so the SQL has no runtime dependency).
 */
export const SYSTEM_FLAG_ROWS: readonly { readonly name: string; readonly description: string }[] = Object.freeze([
  { name: 'v2_canonical_system', description: 'Master flag for the unified (v2 canonical) integration system' },
  { name: 'testimonial_system', description: 'Testimonial collection and display' },
  { name: 'playlist_orchestration', description: 'Campaign playlist features' },
  { name: 'multi_integration_campaigns', description: 'Multiple data sources per campaign' },
]);
