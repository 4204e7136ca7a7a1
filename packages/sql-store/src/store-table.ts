/** Which of the store's tables a JSON-column lookup is about. */
export type StoreTable = 'events' | 'campaigns' | 'integrations' | 'featureFlags';
