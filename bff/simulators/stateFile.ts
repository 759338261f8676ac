import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A simulator's state kept in a JSON file (the demo keeps it under DATA_DIR), so a restart of `pnpm start`
 * finds the orders and cases the BFF's database still refers to. Written whole (temp file + rename), and only
 * when it changed.
 */
export function createStateFile<T>(file: string | undefined) {
  let last = '';
  return {
    load(): T | undefined {
      if (!file) return undefined;
      try {
        last = readFileSync(file, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
      }
      return JSON.parse(last) as T;
    },
    save(state: T): void {
      if (!file) return;
      const text = JSON.stringify(state);
      if (text === last) return;
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(`${file}.tmp`, text);
      renameSync(`${file}.tmp`, file);
      last = text;
    },
  };
}
