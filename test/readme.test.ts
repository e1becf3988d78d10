// The README keeps its promises: its flag table is the input table's, and it opens with the two commands.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { withFlagTable } from '../generators/lib/inputs/index.js';
import { withProgramsTable } from './support/programs.js';
import { INPUTS, SWITCHES } from '../generators/lib/inputs/index.js';
import { toTemplateData } from '../generators/lib/plan/index.js';
import { PACKAGE_ROOT } from './support/project.js';

const readme = readFileSync(path.join(PACKAGE_ROOT, 'README.md'), 'utf8');

describe('README.md', () => {
  it('has the flag table the input table makes (run `npm run docs` after changing inputs)', () => {
    assert.equal(readme, withFlagTable(readme));
  });

  it('has the second corpus table test/support/programs.ts makes (run `npm run docs` after changing it)', () => {
    assert.ok(readme.includes('<!-- programs:start -->\n| `'), 'the table is empty');
    assert.equal(readme, withProgramsTable(readme));
  });

  it('names every flag', () => {
    for (const flag of [...INPUTS.map((i) => ('boolean' in i && i.boolean ? `[no-]${i.flag}` : i.flag)), ...SWITCHES.map((s) => s.flag)])
      assert.ok(readme.includes(`\`--${flag}\``) || readme.includes(`\`--${flag} `), flag);
  });

  it('documents every template-data field (a public interface for preset overlays)', () => {
    const section = readme.slice(readme.indexOf('### Template data'), readme.indexOf('## What it writes'));
    const data = toTemplateData(
      { module: 'example.com/x', name: 'x', kind: 'service', port: 8080, base: 'alpine', layout: 'flat', goproxy: 'direct', goprivate: '', runtimeCa: false, config: [], args: '', goVersion: '1.26.8', compose: true, ci: 'none', deploy: 'none' },
      { generatorVersion: '0.0.0' },
    );
    for (const field of Object.keys(data)) assert.match(section, new RegExp(`^\\| [^|]*\`${field}\``, 'm'), field);
  });

  it('opens with the install-and-scaffold command and the test command', () => {
    const block = /^# generator-dockergo\n\n```sh\n(.*)\n(.*)\n```/.exec(readme);
    assert.ok(block, 'no command block under the title');
    assert.match(block[1]!, /^npm install && node bin\/generator-dockergo\.js --yes /);
    assert.match(block[2]!, /^npm run setup && npm test /);
    const ci = readFileSync(path.join(PACKAGE_ROOT, '.ci/run'), 'utf8');
    assert.match(ci, /npm run setup && npm test/);
  });
});
