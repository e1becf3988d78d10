// `npm run docs`: rewrites what is made from tables: the README's flag table and the published
// preset.schema.json (from the input table), and the README's second corpus table (from PROGRAMS).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { withFlagTable } from '../../generators/lib/inputs/index.js';
import { presetSchema } from '../../generators/lib/presets/index.js';
import { PACKAGE_ROOT } from './project.js';
import { withProgramsTable } from './programs.js';

const readme = path.join(PACKAGE_ROOT, 'README.md');
writeFileSync(readme, withProgramsTable(withFlagTable(readFileSync(readme, 'utf8'))));
const schema = path.join(PACKAGE_ROOT, 'preset.schema.json');
writeFileSync(schema, `${JSON.stringify(presetSchema(), null, 2)}\n`);
console.log(`updated the flag and corpus tables in ${readme}, and ${schema}`);
