// The layout's rules, checked on the source (docs/architecture.md): each room of generators/lib/
// imports only rooms below it, so data flows downward and there is no circle; no file is over 300
// lines (the input table aside) and no class over 150; and each room's index opens with its header.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { TARGET_PARTS, TARGETS } from '../generators/lib/targets/index.js';
import { PACKAGE_ROOT } from './support/project.js';

const LIB = path.join(PACKAGE_ROOT, 'generators', 'lib');

/** The rooms, bottom first: a room may import its own files and the rooms of a lower rank. */
const RANK: Readonly<Record<string, number>> = {
  errors: 0,
  package: 0,
  rules: 1,
  write: 1,
  inputs: 2,
  module: 2,
  targets: 3,
  presets: 4,
  plan: 4,
  update: 5,
  run: 6,
  fleet: 7,
};

/** Data tables, which may be longer than 300 lines. */
const TABLES = new Set(['inputs/table.ts']);

function sources(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'));
}

const room = (file: string): string => file.split('/')[0]!.replace(/\.ts$/, '');

describe('the layout of generators/lib (docs/architecture.md)', () => {
  const files = sources(LIB);

  it('every file belongs to a room of the table', () => {
    assert.deepEqual(files.filter((f) => RANK[room(f)] === undefined), []);
  });

  it('each room imports only itself and rooms below it: no circle, no import back up', () => {
    const up: string[] = [];
    for (const file of files) {
      const text = readFileSync(path.join(LIB, file), 'utf8');
      for (const m of text.matchAll(/^(?:import|export)\b[^;]*?from '(\.[^']+)'/gm)) {
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), m[1]!));
        if (target.startsWith('..')) {
          up.push(`${file} imports ${m[1]} (outside generators/lib)`);
          continue;
        }
        const [from, to] = [room(file), room(target)];
        if (from !== to && RANK[to]! >= RANK[from]!) up.push(`${file} (${from}) imports ${target} (${to})`);
      }
    }
    assert.deepEqual(up, []);
  });

  it('no file under generators/ is over 300 lines, the input table aside, and no class over 150', () => {
    const all = sources(path.join(PACKAGE_ROOT, 'generators'));
    const long: string[] = [];
    for (const file of all) {
      const lines = readFileSync(path.join(PACKAGE_ROOT, 'generators', file), 'utf8').split('\n');
      if (lines.length - 1 > 300 && !TABLES.has(file.replace(/^lib\//, ''))) long.push(`${file}: ${lines.length - 1} lines`);
      lines.forEach((line, i) => {
        if (!/^(?:export )?(?:default )?(?:abstract )?class /.test(line)) return;
        const end = lines.findIndex((l, j) => j > i && l === '}');
        if (end - i + 1 > 150) long.push(`${file}: class at line ${i + 1} is ${end - i + 1} lines`);
      });
    }
    assert.deepEqual(long, []);
  });

  it('each room is a folder whose index opens with a header paragraph', () => {
    const rooms = Object.keys(RANK).filter((r) => !files.includes(`${r}.ts`));
    for (const r of rooms) {
      const index = readFileSync(path.join(LIB, r, 'index.ts'), 'utf8');
      const header = index.split('\n').filter((l) => l.startsWith('//'));
      assert.ok(header.length >= 3, `${r}/index.ts opens with a header paragraph`);
    }
  });

  it('each deploy target is a row and a folder: its templates hold every part the shared templates include', () => {
    const missing = TARGETS.flatMap((t) =>
      TARGET_PARTS.map((part) => `templates/deploy/${t.name}/parts/${part}.ejs`).filter((file) => !existsSync(path.join(PACKAGE_ROOT, file))),
    );
    assert.deepEqual(missing, []);
    for (const t of TARGETS) assert.equal(t.dir, `deploy/${t.name}`, `${t.name}'s files go where its templates are`);
  });
});
