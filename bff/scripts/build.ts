/** Bundles the BFF into dist/server.js. Workspace code (@zyt/shared, TypeScript) is inlined; npm packages stay external. */
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  dependencies: Record<string, string>;
};
const external = Object.keys(pkg.dependencies).filter((name) => !name.startsWith('@zyt/'));

const result = await build({
  entryPoints: ['src/server.ts'],
  outfile: 'dist/server.js',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  external: external.flatMap((name) => [name, `${name}/*`]),
  logLevel: 'info',
  metafile: true,
});

// The production bundle holds no simulator or demo code (demo sign-in, demo users, /sim/* routes).
const demoOnly = Object.keys(result.metafile.inputs).filter((file) =>
  /(^|\/)(simulators|scripts)\//.test(file),
);
if (demoOnly.length > 0) {
  console.error(`dist/server.js must not contain simulator or demo code:\n  ${demoOnly.join('\n  ')}`);
  process.exit(1);
}
