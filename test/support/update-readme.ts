// `npm run docs`: rewrites what is made from tables: the flag table in docs/usage.md and the published
// preset.schema.json (from the input table), and the second corpus table in docs/existing-modules.md
// (from PROGRAMS).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { withFlagTable } from '../../generators/lib/inputs/index.js';
import { presetSchema } from '../../generators/lib/presets/index.js';
import { PACKAGE_ROOT } from './project.js';
import { withProgramsTable } from './programs.js';

const usage = path.join(PACKAGE_ROOT, 'docs/usage.md');
writeFileSync(usage, withFlagTable(readFileSync(usage, 'utf8')));
const modules = path.join(PACKAGE_ROOT, 'docs/existing-modules.md');
writeFileSync(modules, withProgramsTable(readFileSync(modules, 'utf8')));
const schema = path.join(PACKAGE_ROOT, 'preset.schema.json');
writeFileSync(schema, `${JSON.stringify(presetSchema(), null, 2)}\n`);
console.log(`updated the flag table in ${usage}, the corpus table in ${modules}, and ${schema}`);
