import { type SQL, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matters } from '../src/db/schema';
import { searchMatters, searchQuery } from '../src/features/catalogue/catalogue';
import { indexGrams, normaliseForSearch } from '../src/features/catalogue/search';
import { refreshSearchIndex } from '../src/features/catalogue/sync';
import { initialCatalogue } from './catalogueHelpers';
import { buildTestApp, type TestApp } from './helpers';

/**
 * Not a timing test: with a district-sized catalogue (the real 黄埔区 lists 14,177 matters) the search must be
 * answered from the n-gram index, not by reading every row. Checked on the query plan.
 */
const SYNTHETIC = 15_000;
const SUBJECTS = [
  '养老保险',
  '医疗保险',
  '住房公积金',
  '营业执照',
  '道路运输',
  '建设工程',
  '排污许可',
  '食品经营',
  '药品零售',
  '出版物经营',
];
const ACTIONS = ['申领', '变更登记', '注销', '补发', '延续', '备案', '核发', '查询', '证明开具', '年度报告'];

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
  // After the startup sync, which would otherwise replace these rows.
  await initialCatalogue(t);
  const rows = Array.from({ length: SYNTHETIC }, (_, i) => {
    // One name in a hundred is about 失业 (unemployment), as in a real list.
    const subject = i % 100 === 0 ? '失业保险' : SUBJECTS[i % SUBJECTS.length]!;
    const name = `${subject}${ACTIONS[Math.floor(i / SUBJECTS.length) % ACTIONS.length]}（第${i}项）`;
    const searchName = normaliseForSearch(name);
    return {
      code: `SYN${String(i).padStart(8, '0')}`,
      version: '1',
      name,
      applicantType: (i % 3 === 0 ? 'enterprise' : 'person') as 'person' | 'enterprise',
      theme: '综合',
      matterType: '20',
      caseType: 2,
      department: '某某局',
      promisedWorkingDays: 5,
      legalWorkingDays: 20,
      conditions: '—',
      fees: '不收费',
      doorPickup: i % 2 === 0,
      atOutlet: true,
      mail: 'two_way' as const,
      resultName: '结果',
      resultKind: 'physical' as const,
      position: 1000 + i,
      searchName,
      searchExtra: '综合\n某某局',
      searchGrams: indexGrams(searchName, '综合', '某某局'),
    };
  });
  const { db } = t.app.database;
  for (let i = 0; i < rows.length; i += 500) await db.insert(matters).values(rows.slice(i, i + 500));
  await refreshSearchIndex(db);
});
afterAll(() => t?.close());

const plan = async (query: SQL | { getSQL(): SQL }) =>
  (await t.app.database.rows<{ 'QUERY PLAN': string }>(sql`explain ${query}`))
    .map((r) => r['QUERY PLAN'])
    .join('\n');

describe('search on a district-sized catalogue', () => {
  it.each([
    ['失业', 'two characters'],
    ['失业保险金', 'a longer phrase'],
  ])('answers %s (%s) from the n-gram index', async (q) => {
    const query = searchQuery(t.app.database.db, { q, page: 1, pageSize: 20 });
    expect(await plan(query.page)).toContain('matters_search_grams_idx');
    expect(await plan(query.total)).toContain('matters_search_grams_idx');

    const started = performance.now();
    const page = await searchMatters(t.app.database.db, { q, page: 1, pageSize: 20 });
    const ms = performance.now() - started;
    expect(page.items[0]!.name).toBe('失业保险金申领');
    expect(page.total).toBeGreaterThan(q === '失业' ? SYNTHETIC / 100 : 0);
    console.log(
      `${t.app.database.kind}: "${q}" → ${page.total} matters of ${SYNTHETIC + 86} in ${ms.toFixed(1)} ms`,
    );
  });
});
