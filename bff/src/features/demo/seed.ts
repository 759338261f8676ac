import type { Role } from '@zyt/shared';
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { users } from '../../db/schema';

/** Demo staff and clerks, by the openids the WeChat simulator's demo users sign in with. */
const demoRoles: Record<string, Role[]> = {
  'demo-resident': ['resident'],
  'demo-resident-2': ['resident'],
  'demo-clerk': ['resident', 'enterprise_clerk'],
  'demo-agent': ['resident', 'postal_agent'],
  'demo-supervisor': ['resident', 'supervisor'],
};

/** Idempotent: run on every demo start. */
export async function seedDemo(db: Database): Promise<void> {
  for (const [openid, roles] of Object.entries(demoRoles)) {
    await db
      .insert(users)
      .values({ openid, roles })
      .onConflictDoUpdate({ target: users.openid, set: { roles, updatedAt: sql`now()` } });
  }
}
