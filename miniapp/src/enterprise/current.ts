import { persisted } from '@/lib/persisted';

/** The enterprise the person is acting for now (one person may act for several and switch). */
export const currentEnterprise = persisted<string>('enterprise.current', '');
