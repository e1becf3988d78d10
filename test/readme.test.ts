// The README and docs/ keep their promises: the README is a landing page that opens with the two
// commands and whose links resolve; the flag table in docs/usage.md is the input table's, the corpus
// table in docs/existing-modules.md is PROGRAMS', and docs/presets.md documents every template-data field.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { INPUTS, SWITCHES, withFlagTable } from '../generators/lib/inputs/index.js';
import { toTemplateData } from '../generators/lib/plan/index.js';
import { withProgramsTable } from './support/programs.js';
import { PACKAGE_ROOT } from './support/project.js';

const page = (file: string) => readFileSync(path.join(PACKAGE_ROOT, file), 'utf8');
const readme = page('README.md');

describe('README.md', () => {
  it('opens with the install-and-scaffold command and the test command', () => {
    const block = /^# generator-dockergo\n\n```sh\n(.*)\n(.*)\n```/.exec(readme);
    assert.ok(block, 'no command block under the title');
    assert.match(block[1]!, /^npm install && node bin\/generator-dockergo\.js --yes /);
    assert.match(block[2]!, /^npm run setup && npm test /);
    const ci = page('.ci/run');
    assert.match(ci, /npm run setup && npm test/);
  });

  it('is a landing page of at most 200 lines, which links every page of docs/', () => {
    assert.ok(readme.split('\n').length <= 200, `${readme.split('\n').length} lines`);
    for (const doc of readdirSync(path.join(PACKAGE_ROOT, 'docs')).filter((f) => f.endsWith('.md'))) {
      assert.ok(readme.includes(`](docs/${doc})`), `docs/${doc} is not linked`);
    }
  });

  it('every relative link of the README and docs/ resolves', () => {
    const pages = ['README.md', ...readdirSync(path.join(PACKAGE_ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
    const broken: string[] = [];
    for (const file of pages) {
      for (const m of page(file).matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        const target = m[1]!;
        if (/^[a-z]+:/.test(target)) continue;
        if (!existsSync(path.resolve(PACKAGE_ROOT, path.dirname(file), target))) broken.push(`${file}: ${target}`);
      }
    }
    assert.deepEqual(broken, []);
  });
});

describe('docs/', () => {
  const usage = page('docs/usage.md');

  it('usage.md has the flag table the input table makes (run `npm run docs` after changing inputs)', () => {
    assert.equal(usage, withFlagTable(usage));
  });

  it('usage.md names every flag', () => {
    for (const flag of [...INPUTS.map((i) => ('boolean' in i && i.boolean ? `[no-]${i.flag}` : i.flag)), ...SWITCHES.map((s) => s.flag)])
      assert.ok(usage.includes(`\`--${flag}\``) || usage.includes(`\`--${flag} `), flag);
  });

  it('existing-modules.md has the second corpus table test/support/programs.ts makes (run `npm run docs` after changing it)', () => {
    const modules = page('docs/existing-modules.md');
    assert.ok(modules.includes('<!-- programs:start -->\n| `'), 'the table is empty');
    assert.equal(modules, withProgramsTable(modules));
  });

  it('presets.md documents every template-data field (a public interface for preset overlays)', () => {
    const presets = page('docs/presets.md');
    const section = presets.slice(presets.indexOf('## Template data'));
    const data = toTemplateData(
      { module: 'example.com/x', name: 'x', kind: 'service', port: 8080, base: 'alpine', layout: 'flat', goproxy: 'direct', goprivate: '', runtimeCa: false, config: [], args: '', goVersion: '1.26.8', compose: true, ci: 'none', deploy: 'none' },
      { generatorVersion: '0.0.0' },
    );
    for (const field of Object.keys(data)) assert.match(section, new RegExp(`^\\| [^|]*\`${field}\``, 'm'), field);
  });
});
