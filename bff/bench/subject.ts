import { randomUUID } from 'node:crypto';
import type { DatabaseOrTransaction } from '../src/db/client';
import { cases, users } from '../src/db/schema';

/**
 * A case for EMS legs to serve (every shipment names its subject by a checked foreign key): a person's
 * door-visit case with a user of its own. One definition for the benchmarks and the tests (test/emsLegs.ts).
 * `label` names the user's openid, so rows from a benchmark and from a test can be told apart. Returns its id.
 */
export async function caseForLegs(db: DatabaseOrTransaction, label: string): Promise<string> {
  const [user] = await db
    .insert(users)
    .values({ openid: `${label}-${randomUUID()}` })
    .returning({ id: users.id });
  const [c] = await db
    .insert(cases)
    .values({
      userId: user!.id,
      channel: 'door_visit',
      applicantKind: 'person',
      matterCode: 'LEGS',
      matterName: '测试事项',
      promisedWorkingDays: 5,
    })
    .returning({ id: cases.id });
  return c!.id;
}
