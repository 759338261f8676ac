import { randomUUID } from 'node:crypto';
import type { DatabaseOrTransaction } from '../src/db/client';
import { cases, users } from '../src/db/schema';

/** A case for bench legs to serve: every shipment names its subject by a checked foreign key. */
export async function benchCase(db: DatabaseOrTransaction): Promise<string> {
  const [user] = await db
    .insert(users)
    .values({ openid: `bench-${randomUUID()}` })
    .returning({ id: users.id });
  const [c] = await db
    .insert(cases)
    .values({
      userId: user!.id,
      channel: 'door_visit',
      applicantKind: 'person',
      matterCode: 'BENCH',
      matterName: '基准测试事项',
      promisedWorkingDays: 5,
    })
    .returning({ id: cases.id });
  return c!.id;
}
