/**
 * Checks the WeChat build in dist/weapp:
 * 1. package sizes as WeChat counts them (every file under a sub-package root belongs to it, everything else
 *    to the main package): fails over 2 MB per package (WeChat's limit) or 600 KB for the main package (ours);
 * 2. no demo-only code (demo sign-in, the subscribe-dialog stand-in: the WeChat simulator's /sim/ routes);
 * 3. compiles every WXML and WXSS file with WeChat's own wcc / wcsc (miniprogram-compiler) to catch syntax
 *    errors the simulator would report.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(__filename);
const wcc: (root: string, files: string[], wxs: string[], options: { maxBuffer: number }) => string =
  require('miniprogram-compiler/src/wcc');
const wcsc: (
  root: string,
  files: string[],
  options: { maxBuffer: number },
) => Record<string, string> | Error = require('miniprogram-compiler/src/wcsc');

const KB = 1024;
const WECHAT_PACKAGE_LIMIT = 2 * KB * KB;
const MAIN_PACKAGE_BUDGET = 600 * KB;

const root = path.resolve(__dirname, '../dist/weapp');

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? walk(full) : [path.relative(root, full).split(path.sep).join('/')];
  });
}

const appJson = JSON.parse(readFileSync(path.join(root, 'app.json'), 'utf8')) as {
  subPackages?: { root: string }[];
  subpackages?: { root: string }[];
};
const subRoots = (appJson.subPackages ?? appJson.subpackages ?? []).map((p) => p.root.replace(/\/?$/, '/'));
const files = walk(root);

const sizes = new Map<string, number>([['main', 0], ...subRoots.map((r): [string, number] => [r, 0])]);
for (const file of files) {
  const owner = subRoots.find((r) => file.startsWith(r)) ?? 'main';
  sizes.set(owner, sizes.get(owner)! + statSync(path.join(root, file)).size);
}

const failures: string[] = [];
console.log('WeChat package sizes (dist/weapp):');
for (const [name, bytes] of sizes) {
  const limit = name === 'main' ? MAIN_PACKAGE_BUDGET : WECHAT_PACKAGE_LIMIT;
  console.log(`  ${name.padEnd(12)} ${(bytes / KB).toFixed(1).padStart(8)} KB  (limit ${limit / KB} KB)`);
  if (bytes > WECHAT_PACKAGE_LIMIT) failures.push(`${name} is over WeChat's 2 MB package limit`);
  else if (bytes > limit) failures.push(`${name} is over our ${limit / KB} KB main-package budget`);
}
const total = [...sizes.values()].reduce((a, b) => a + b, 0);
console.log(`  ${'total'.padEnd(12)} ${(total / KB).toFixed(1).padStart(8)} KB`);

// DEMO_MODE is false in the mini-program: the demo's simulator calls must have been compiled out.
const demoPaths = files.filter(
  (f) => f.endsWith('.js') && readFileSync(path.join(root, f), 'utf8').includes('/sim/wechat'),
);
if (demoPaths.length > 0) failures.push(`demo-only code in the mini-program build: ${demoPaths.join(', ')}`);
else console.log('demo-only code: none');

const strip = (file: string) => file.replace(/\.[^.]+$/, '');
const maxBuffer = 64 * KB * KB;
const wxml = files.filter((f) => f.endsWith('.wxml'));
const wxs = files.filter((f) => f.endsWith('.wxs'));
const wxss = files.filter((f) => f.endsWith('.wxss'));
try {
  wcc(root, wxml.map(strip), wxs, { maxBuffer });
  console.log(`wcc: ${wxml.length} WXML and ${wxs.length} WXS files compiled`);
} catch (error) {
  failures.push(`WXML does not compile: ${(error as Error).message}`);
}
const css = wcsc(root, wxss.map(strip), { maxBuffer });
if (css instanceof Error) failures.push(`WXSS does not compile: ${css.message}`);
else console.log(`wcsc: ${wxss.length} WXSS files compiled`);

if (failures.length) {
  for (const failure of failures) console.error(`✖ ${failure}`);
  process.exit(1);
}
