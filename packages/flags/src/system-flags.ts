/**
 * The product's system flags, seeded in every database. Rolled out 0 → 10 → 50 → 100 %;
 * rolled back by setting the percentage to 0, then disabling.
 */
export const SYSTEM_FLAGS = [
  { name: 'v2_canonical_system', description: 'Master flag for the unified (v2 canonical) integration system' },
  { name: 'testimonial_system', description: 'Testimonial collection and display' },
  { name: 'playlist_orchestration', description: 'Campaign playlist features' },
  { name: 'multi_integration_campaigns', description: 'Multiple data sources per campaign' },
] as const;

/** The name of one of the {@link SYSTEM_FLAGS}. */
export type SystemFlagName = (typeof SYSTEM_FLAGS)[number]['name'];

/** The rollout stages the product moves a flag through, in order. */
export const ROLLOUT_STAGES = [0, 10, 50, 100] as const;
