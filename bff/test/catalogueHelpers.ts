import { eq } from 'drizzle-orm';
import { users } from '../src/db/schema';
import { type CatalogueState, getCatalogueState } from '../src/features/catalogue/catalogue';
import type { TestApp } from './helpers';

import { until } from './until';

export { until };

/** The catalogue the app syncs by itself once ready (it starts empty). */
export async function initialCatalogue(t: TestApp): Promise<CatalogueState> {
  let state: CatalogueState | undefined;
  await until(async () => {
    state = await getCatalogueState(t.app.database.db);
    return state !== undefined;
  });
  return state!;
}

/** An access token carrying the supervisor role. */
export async function supervisorToken(t: TestApp): Promise<string> {
  const session = await t.signIn();
  await t.app.database.db
    .update(users)
    .set({ roles: ['resident', 'supervisor'] })
    .where(eq(users.id, session.user.id));
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/refresh',
    payload: { refreshToken: session.refreshToken },
  });
  return res.json().accessToken as string;
}
