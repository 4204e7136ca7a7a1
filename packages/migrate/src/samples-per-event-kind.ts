/** How many samples of each event kind a report keeps. */
export const SAMPLES_PER_EVENT_KIND = 3;
