// `npm run docs`: rewrites the README's flag table from the input table.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { withFlagTable } from '../../generators/lib/flag-table.js';
import { PACKAGE_ROOT } from './project.js';

const file = path.join(PACKAGE_ROOT, 'README.md');
writeFileSync(file, withFlagTable(readFileSync(file, 'utf8')));
console.log(`updated the flag table in ${file}`);
