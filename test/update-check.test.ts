// `generator-dockergo update --check [--json]`, through the packed bin with real git: would update
// change anything? Each action and edit named, the versions and the preset's changelog, exit 0 / 2 /
// 1, nothing written anywhere; and the generated workflow's check job, linted and run for real.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa, type Options } from 'execa';
import * as yaml from 'js-yaml';
import { actionlint } from './support/engines/tools.js';
import { packedPackage } from './support/packed.js';
import { cleanup, read, snapshot, tempDir } from './support/project.js';
import { asNobody, GIT_ENV, NOBODY } from './support/users.js';

const BEHIND_EXIT = 2;
const PRESET = '@acme/check-preset';
let bin = '';
let prefix = '';

async function run(cwd: string, args: string[], options: Options = {}) {
  const result = await execa(bin, args, { cwd, reject: false, all: true, stdin: 'ignore', ...options } as Options);
  return { ...result, all: String(result.all), stdout: String(result.stdout), stderr: String(result.stderr) };
}

async function commit(dir: string, message: string): Promise<void> {
  await execa('git', ['add', '-A'], { cwd: dir, env: GIT_ENV });
  await execa('git', ['commit', '--quiet', '--allow-empty', '-m', message], { cwd: dir, env: GIT_ENV });
}

/** The preset, as an npm package: v2 adds a label (the Dockerfile and the base's labels change), new.yaml, and drops old.yaml. */
function writePreset(dir: string, version: 1 | 2): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'templates/deploy'), { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: PRESET, version: `${version}.0.0` }));
  const labels: Record<string, string> = { 'com.acme.team': 'payments', ...(version === 2 ? { 'com.acme.tier': 'gold' } : {}) };
  const changelog = { '1.0.0': 'the first release', '2.0.0': 'a tier label on every image; new.yaml replaces old.yaml' };
  writeFileSync(path.join(dir, 'preset.json'), JSON.stringify({ version: `${version}.0.0`, labels, changelog }, null, 2));
  const file = version === 1 ? 'old.yaml' : 'new.yaml';
  writeFileSync(path.join(dir, `templates/deploy/${file}.ejs`), `# <%- name %> (preset v${version})\nname: <%- name %>\n`);
}

/** A service made with preset v1 (Kustomize, the workflow), committed: its folder, and the preset's. */
async function service(name: string): Promise<{ dir: string; preset: string; parent: string }> {
  const parent = tempDir('check-');
  const preset = path.join(parent, 'node_modules', PRESET);
  writePreset(preset, 1);
  const made = await run(parent, ['--yes', '--skip-install', '--module', `example.com/acme/${name}`, '--go-version', '1.26.8', '--preset', PRESET, '--deploy', 'kubernetes', '--ci', 'github', name]);
  assert.equal(made.exitCode, 0, made.all);
  const dir = path.join(parent, name);
  await execa('git', ['init', '--quiet'], { cwd: dir });
  await commit(dir, 'generated');
  return { dir, preset, parent };
}

/** The project and its repository, byte for byte: what --check must leave as it was. */
function everything(dir: string): Record<string, string> {
  return snapshot(dir);
}

describe('generator-dockergo update --check', function () {
  this.timeout(300_000);
  const parents: string[] = [];
  before(async () => {
    ({ bin, prefix } = await packedPackage());
  });
  after(() => parents.forEach(cleanup));

  it('a current project: exit 0, "up to date", and nothing written, .yo-rc.json and .git included', async () => {
    const { dir, parent } = await service('current');
    parents.push(parent);
    const before = everything(dir);
    const text = await run(dir, ['update', '--check']);
    assert.equal(text.exitCode, 0, text.all);
    assert.match(text.stderr, /^update --check: up to date \(generator \d+\.\d+\.\d+, preset @acme\/check-preset 1\.0\.0\)$/m);
    const json = await run(dir, ['update', '--check', '--json']);
    assert.equal(json.exitCode, 0, json.all);
    const report = JSON.parse(json.stdout) as { status: string; files: unknown[]; preset: { name: string; from: string; to: string } };
    assert.equal(report.status, 'current');
    assert.deepEqual(report.files, []);
    assert.deepEqual([report.preset.name, report.preset.from, report.preset.to], [PRESET, '1.0.0', '1.0.0']);
    assert.deepEqual(everything(dir), before);
  });

  describe('behind: the preset moved to v2, and the service edited three files', () => {
    let dir = '';
    let untouched: Record<string, string> = {};
    let text: Awaited<ReturnType<typeof run>>;
    let report: { status: string; generator: { from: string; to: string }; preset: { name: string; from: string; to: string; changes: { version: string; note: string }[] }; files: { path: string; action: string; edited: boolean }[] };
    before(async () => {
      const made = await service('behind');
      parents.push(made.parent);
      dir = made.dir;
      // A clean merge (a comment above the base's labels), a conflict (the labels' own line), an edit update leaves alone.
      writeFileSync(path.join(dir, 'deploy/kubernetes/base/kustomization.yaml'), `# ours: reviewed by the platform team\n${read(dir, 'deploy/kubernetes/base/kustomization.yaml')}`);
      writeFileSync(path.join(dir, 'Dockerfile'), read(dir, 'Dockerfile').replace(/com\.acme\.team="payments"/, 'com.acme.team="payments-eu"'));
      writeFileSync(path.join(dir, 'main.go'), `${read(dir, 'main.go')}\n// ours\n`);
      await commit(dir, 'our edits');
      writePreset(made.preset, 2);
      untouched = everything(dir);
      text = await run(dir, ['update', '--check']);
      const json = await run(dir, ['update', '--check', '--json']);
      assert.equal(json.exitCode, BEHIND_EXIT, json.all);
      report = JSON.parse(json.stdout) as typeof report;
    });

    it('exits 2 and says so in its first line, with the versions', () => {
      assert.equal(text.exitCode, BEHIND_EXIT, text.all);
      assert.match(text.stderr, /^update --check: behind: \d+ files would change \(generator \d+\.\d+\.\d+, preset @acme\/check-preset 1\.0\.0 → 2\.0\.0\)$/m);
      assert.equal(report.status, 'behind');
      assert.deepEqual([report.preset.from, report.preset.to], ['1.0.0', '2.0.0']);
    });

    it('names what update would do to each file, and each file edited since it was generated', () => {
      const action = (file: string) => report.files.find((f) => f.path === file);
      assert.deepEqual(action('Dockerfile'), { path: 'Dockerfile', action: 'conflict', edited: true });
      assert.deepEqual(action('deploy/kubernetes/base/kustomization.yaml'), { path: 'deploy/kubernetes/base/kustomization.yaml', action: 'merge', edited: true });
      assert.deepEqual(action('deploy/new.yaml'), { path: 'deploy/new.yaml', action: 'add', edited: false });
      assert.deepEqual(action('deploy/old.yaml'), { path: 'deploy/old.yaml', action: 'remove', edited: false });
      assert.deepEqual(action('main.go'), { path: 'main.go', action: 'none', edited: true });
      assert.equal(action('build.sh'), undefined, 'a file update leaves alone, unedited, is not listed');
      assert.match(text.stderr, /^\s+conflict Dockerfile {2}\(edited locally\)$/m);
      assert.match(text.stderr, /^\s+add deploy\/new\.yaml$/m);
      assert.match(text.stderr, /^\s+main\.go {2}\(edited locally; update leaves it\)$/m);
    });

    it("shows why the preset changed: its changelog between the project's version and the new one", () => {
      assert.deepEqual(report.preset.changes, [{ version: '2.0.0', note: 'a tier label on every image; new.yaml replaces old.yaml' }]);
      assert.match(text.stderr, /^preset @acme\/check-preset 2\.0\.0: a tier label on every image/m);
    });

    it('writes nothing at all, and update then does what the check said', async () => {
      assert.deepEqual(everything(dir), untouched);
      const update = await run(dir, ['update']);
      assert.equal(update.exitCode, 3, update.all);
      assert.match(update.all, /^\s+conflict Dockerfile/m);
      assert.match(update.all, /^\s+merged deploy\/kubernetes\/base\/kustomization\.yaml$/m);
    });
  });

  it('flags change answers on the way: --port 9090 lists the files the port reaches', async () => {
    const { dir, parent } = await service('port');
    parents.push(parent);
    const checked = await run(dir, ['update', '--check', '--json', '--port', '9090']);
    assert.equal(checked.exitCode, BEHIND_EXIT, checked.all);
    const files = (JSON.parse(checked.stdout) as { files: { path: string; action: string }[] }).files.map((f) => f.path);
    for (const file of ['main.go', 'Dockerfile', 'compose.yaml', 'deploy/kubernetes/base/deployment.yaml']) assert.ok(files.includes(file), file);
  });

  it('an error is one line and exit 1, and with --json one JSON object too; nothing is written', async () => {
    const dir = tempDir('check-none-');
    parents.push(dir);
    const text = await run(dir, ['update', '--check']);
    assert.equal(text.exitCode, 1);
    assert.match(text.stderr, /^generator-dockergo: .*not a project generator-dockergo made/);
    assert.equal(text.stderr.split('\n').length, 1);
    const json = await run(dir, ['update', '--check', '--json']);
    assert.equal(json.exitCode, 1);
    const report = JSON.parse(json.stdout) as { status: string; error: string };
    assert.equal(report.status, 'error');
    assert.match(report.error, /not a project generator-dockergo made/);
    // A forged record is refused as update refuses it.
    const { dir: forged, parent } = await service('forged');
    parents.push(parent);
    const yoRc = JSON.parse(read(forged, '.yo-rc.json')) as { 'generator-dockergo': { files: Record<string, string> } };
    yoRc['generator-dockergo'].files['../victim'] = '0'.repeat(40);
    writeFileSync(path.join(forged, '.yo-rc.json'), JSON.stringify(yoRc));
    const refused = await run(forged, ['update', '--check']);
    assert.equal(refused.exitCode, 1);
    assert.match(refused.stderr, /^generator-dockergo: \.yo-rc\.json files: "\.\.\/victim"/);
  });

  it('yo dockergo:update --check says the same as the bin (as an unprivileged user: yo drops root)', async () => {
    const { dir, parent, preset } = await service('yo');
    parents.push(parent);
    writePreset(preset, 2);
    const viaBin = await run(dir, ['update', '--check']);
    const home = path.join(parent, 'home');
    mkdirSync(home);
    const asRoot = process.getuid?.() === 0;
    if (asRoot) {
      await execa('chown', ['-R', `${NOBODY}:${NOBODY}`, parent]);
      chmodSync(parent, 0o755);
    }
    const command = [process.execPath, path.join(prefix, 'node_modules/yo/lib/cli.js'), 'dockergo:update', '--check'];
    const env = { HOME: home, NODE_PATH: path.join(prefix, 'node_modules'), NO_UPDATE_NOTIFIER: '1', CI: 'true' };
    const [file, argv] = asRoot ? asNobody(command) : [command[0]!, command.slice(1)];
    const yo = await execa(file, argv, { cwd: dir, env, reject: false, all: true, stdin: 'ignore' });
    assert.equal(yo.exitCode, BEHIND_EXIT, String(yo.all));
    const lines = (out: string) => out.split('\n').filter((l) => /^update --check:|^\s+(update|merge|conflict|add|remove) /.test(l));
    assert.ok(lines(viaBin.stderr).length > 1, viaBin.stderr);
    assert.deepEqual(lines(String(yo.all)), lines(viaBin.stderr));
  });

  describe("the workflow's scheduled check job (--ci github)", () => {
    type Job = { if: string; permissions: Record<string, string>; steps: { run?: string; uses?: string; with?: Record<string, unknown> }[] };
    let workflow: { on: Record<string, unknown>; jobs: Record<string, Job> };
    let dir = '';
    let presetDir = '';
    before(async () => {
      const made = await service('workflow');
      parents.push(made.parent);
      dir = made.dir;
      presetDir = made.preset;
      workflow = yaml.load(read(dir, '.github/workflows/ci.yml')) as typeof workflow;
    });

    it('actionlint (and shellcheck on its run blocks) find nothing', async () => {
      const linted = await actionlint(dir);
      assert.equal(linted.exitCode, 0, linted.all);
    });

    it('runs weekly and by hand, reads only, with the whole history, the generator pinned as recorded', () => {
      const job = workflow.jobs['template']!;
      assert.deepEqual(Object.keys(workflow.on).sort(), ['pull_request', 'push', 'schedule', 'workflow_dispatch']);
      assert.equal(job.if, "github.event_name == 'schedule' || github.event_name == 'workflow_dispatch'");
      assert.deepEqual(job.permissions, { contents: 'read' });
      assert.equal(job.steps.find((s) => s.uses?.startsWith('actions/checkout@'))?.with?.['fetch-depth'], 0);
      const version = (JSON.parse(read(dir, '.yo-rc.json')) as { 'generator-dockergo': { generatorVersion: string } })['generator-dockergo'].generatorVersion;
      const runs = job.steps.flatMap((s) => (s.run ? [s.run] : []));
      assert.deepEqual(runs.slice(1), [`npm install --no-save --no-package-lock --ignore-scripts ${PRESET}@latest`, `npx --yes generator-dockergo@${version} update --check`]);
      // The netrc step first: dockergo:docker's update lists the module's packages with go, private ones too.
      assert.match(runs[0]!, /"\$RUNNER_TEMP\/netrc"/);
      for (const other of ['go', 'image']) assert.equal(workflow.jobs[other]!.if, "github.event_name != 'schedule'");
    });

    it('its command, run for real: exit 0 on the current project, exit 2 with the files once the preset moved', async () => {
      const job = workflow.jobs['template']!;
      const check = job.steps.map((s) => s.run ?? '').find((r) => r.startsWith('npx '))!;
      // npx's package is the packed bin; the preset is installed where `npm install --no-save` puts it.
      const command = check.replace(/^npx --yes generator-dockergo@\S+/, bin);
      const installed = path.join(dir, 'node_modules', PRESET);
      const install = (version: 1 | 2) => writePreset(installed, version);
      install(1);
      const current = await execa('bash', ['-c', command], { cwd: dir, reject: false, all: true });
      assert.equal(current.exitCode, 0, String(current.all));
      install(2);
      const behind = await execa('bash', ['-c', command], { cwd: dir, reject: false, all: true });
      assert.equal(behind.exitCode, BEHIND_EXIT, String(behind.all));
      assert.match(String(behind.all), /^\s+add deploy\/new\.yaml$/m);
      assert.ok(presetDir);
    });
  });
});
