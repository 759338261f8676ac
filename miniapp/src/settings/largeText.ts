import { persisted } from '@/lib/persisted';

/** 适老化 large-text mode: bigger text and touch targets on every page, kept across restarts. */
const largeText = persisted<boolean>('zyt.largeText', false);

export const isLargeText = largeText.get;
export const setLargeText = largeText.set;
export const useLargeText = largeText.use;
