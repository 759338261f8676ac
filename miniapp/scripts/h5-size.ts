/** Prints the gzip size of the H5 build (dist/h5): what the first visit downloads, and everything. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const root = path.resolve(__dirname, '../dist/h5');
const KB = 1024;

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? walk(full) : [full];
  });
}

const gzip = (file: string) => gzipSync(readFileSync(file), { level: 9 }).length;
const assets = walk(root).filter((f) => /\.(js|css|html)$/.test(f));
const total = assets.reduce((sum, f) => sum + gzip(f), 0);

// The first visit loads index.html and the scripts and stylesheets it references.
const html = readFileSync(path.join(root, 'index.html'), 'utf8');
const initial = [...html.matchAll(/(?:src|href)="\/([^"]+\.(?:js|css))"/g)].map((m) =>
  path.join(root, m[1]!),
);
const initialSize = gzip(path.join(root, 'index.html')) + initial.reduce((sum, f) => sum + gzip(f), 0);

console.log('H5 build (dist/h5), gzip -9:');
console.log(
  `  first load  ${(initialSize / KB).toFixed(1).padStart(8)} KB  (index.html + ${initial.length} assets)`,
);
console.log(`  total       ${(total / KB).toFixed(1).padStart(8)} KB  (${assets.length} js/css/html files)`);
