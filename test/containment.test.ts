// Containment, through the packed bin as users run it: each defect of the containment issue has a
// test here, named by its number, that failed before its fix. Where a run is refused, the check
// is expectRefused's: exit 1 (3 for conflicts), one stderr line, no stack trace, and the watched
// folder (the project's parent, so outside the project too) exactly as it was.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync, existsSync, appendFileSync } from 'node:fs';
import path from 'node:path';
import { execa, type Options } from 'execa';
import { load } from 'js-yaml';
import { blobId } from '../generators/lib/update/index.js';
import { planUpdate } from '../generators/lib/update/index.js';
import { PRERELEASES } from '../generators/lib/rules/index.js';
import { SERVICE_MAIN, writeModule } from './support/modules.js';
import { expectRefused, packedPackage } from './support/packed.js';
import { cleanup, listFiles, PACKAGE_ROOT, read, tempDir } from './support/project.js';
import { asNobody, GIT_ENV, NOBODY } from './support/users.js';


let bin = '';

async function run(cwd: string, args: string[], options: Options = {}) {
  const result = await execa(bin, args, { cwd, reject: false, all: true, stdin: 'ignore', ...options } as Options);
  return { ...result, all: String(result.all), stderr: String(result.stderr) };
}

async function git(dir: string, args: string[], options: Options = {}): Promise<string> {
  return String((await execa('git', args, { cwd: dir, env: GIT_ENV, ...options } as Options)).stdout);
}

/** A service generated into parent/name (no git, no go), then committed to a new repository. */
async function committedProject(parent: string, name = 'svc', flags: string[] = []): Promise<string> {
  const made = await run(parent, ['--yes', '--skip-install', '--module', `example.com/acme/${name}`, '--go-version', '1.26.8', ...flags, name]);
  assert.equal(made.exitCode, 0, made.all);
  const dir = path.join(parent, name);
  await git(dir, ['init', '--quiet']);
  await git(dir, ['add', '-A']);
  await git(dir, ['commit', '--quiet', '-m', 'generated']);
  return dir;
}

function editYoRc(dir: string, edit: (ours: Record<string, any>) => void): void {
  const file = path.join(dir, '.yo-rc.json');
  const yoRc = JSON.parse(readFileSync(file, 'utf8'));
  edit(yoRc['generator-dockergo']);
  writeFileSync(file, `${JSON.stringify(yoRc, null, 2)}\n`);
}

/** The bin as the unprivileged user, HOME in a folder of its own. */
function binAsNobody(home: string, args: string[]): [string, string[]] {
  return asNobody([bin, ...args], { HOME: home, ...GIT_ENV });
}

/** A preset folder whose one overlay, when rendered, writes `marker`: proof that its code ran. */
function markingPreset(dir: string, marker: string): string {
  mkdirSync(path.join(dir, 'templates'), { recursive: true });
  writeFileSync(path.join(dir, 'preset.json'), JSON.stringify({ version: '1.0.0' }));
  writeFileSync(path.join(dir, 'templates/hello.txt.ejs'), `<% process.getBuiltinModule('fs').writeFileSync(${JSON.stringify(marker)}, 'ran') %>hello\n`);
  return dir;
}

describe('containment: one writer, never outside the project, never half-written', function () {
  this.timeout(300_000);
  before(async () => {
    ({ bin } = await packedPackage());
  });

  it('1. update never deletes or overwrites what a forged files record names (../victim, an absolute path, .git/config)', async () => {
    const parent = tempDir('contain-');
    const dir = await committedProject(parent);
    writeFileSync(path.join(parent, 'victim'), 'precious\n');
    const outside = tempDir('contain-abs-');
    writeFileSync(path.join(outside, 'x'), 'absolute\n');
    const forged: [string, string][] = [
      ['../victim', 'precious\n'],
      ['sub/../../victim', 'precious\n'],
      [path.join(outside, 'x'), 'absolute\n'],
      ['.git/config', read(dir, '.git/config')],
      ['.GIT/config', read(dir, '.git/config')],
    ];
    const clean = read(dir, '.yo-rc.json');
    for (const [key, content] of forged) {
      editYoRc(dir, (ours) => (ours['files'][key] = blobId(content)));
      await expectRefused(bin, dir, ['update'], /^generator-dockergo: \.yo-rc\.json files: ".*" (is absolute|holds "\." or "\.\."|lies inside \.git\/).*: not a file the generator could have written$/, { watch: parent });
      writeFileSync(path.join(dir, '.yo-rc.json'), clean);
    }
    assert.equal(readFileSync(path.join(parent, 'victim'), 'utf8'), 'precious\n');
    assert.equal(readFileSync(path.join(outside, 'x'), 'utf8'), 'absolute\n');
    // A key that is a project path, but not one this generator writes (dockergo:docker never writes .go files).
    const module = writeModule({ 'go.mod': 'module example.com/forged\n\ngo 1.26\n', 'main.go': SERVICE_MAIN });
    assert.equal((await run(module, ['docker', '--yes'])).exitCode, 0);
    await git(module, ['init', '--quiet']);
    await git(module, ['add', '-A']);
    await git(module, ['commit', '--quiet', '-m', 'containerised']);
    editYoRc(module, (ours) => (ours['files']['main.go'] = blobId(read(module, 'main.go'))));
    await expectRefused(bin, module, ['update'], /\.yo-rc\.json files: "main\.go": not a file this generator writes/);
    assert.ok(existsSync(path.join(module, 'main.go')));
    cleanup(parent);
    cleanup(outside);
    cleanup(module);
  });

  it('1. when git status fails on the files update would change, that is an error, not "clean"', async () => {
    const parent = tempDir('contain-');
    const dir = await committedProject(parent);
    writeFileSync(path.join(dir, '.git/index'), 'not an index');
    await expectRefused(bin, dir, ['update', '--port', '9090'], /^generator-dockergo: git status failed, so uncommitted changes cannot be ruled out: /, { watch: parent });
    cleanup(parent);
  });

  it('2. a symbolic link in any folder of a planned path is never written through (.github, cmd/<name>, config, a preset\'s deploy/)', async () => {
    const parent = tempDir('contain-');
    const outside = path.join(parent, 'outside');
    mkdirSync(outside);
    // .github: update --ci github, and a re-run with --force.
    const flat = await committedProject(parent, 'flat');
    symlinkSync(outside, path.join(flat, '.github'));
    await expectRefused(bin, flat, ['update', '--ci', 'github'], /\.github is a symbolic link in the project: the generator follows no link/, { watch: parent });
    await expectRefused(bin, flat, ['--yes', '--skip-install', '--force', '--ci', 'github'], /\.github is a symbolic link in the project/, { watch: parent });
    // cmd/<name>: the folder of package main.
    const cmd = await committedProject(parent, 'cmd', ['--layout', 'cmd']);
    renameSync(path.join(cmd, 'cmd/cmd'), path.join(outside, 'cmd'));
    symlinkSync(path.join(outside, 'cmd'), path.join(cmd, 'cmd/cmd'));
    await expectRefused(bin, cmd, ['--yes', '--skip-install', '--force', '--port', '9191'], /cmd\/cmd is a symbolic link in the project/, { watch: parent });
    await expectRefused(bin, cmd, ['update', '--port', '9191'], /cmd\/cmd is a symbolic link in the project/, { watch: parent });
    // config: a config stub's folder.
    const conf = await committedProject(parent, 'conf', ['--config', 'config/app.yaml']);
    renameSync(path.join(conf, 'config'), path.join(outside, 'config'));
    symlinkSync(path.join(outside, 'config'), path.join(conf, 'config'));
    await expectRefused(bin, conf, ['--yes', '--skip-install', '--force', '--port', '9191'], /config is a symbolic link in the project/, { watch: parent });
    // deploy/: a folder only a preset's overlay writes.
    const preset = path.join(parent, 'preset');
    mkdirSync(path.join(preset, 'templates/deploy'), { recursive: true });
    writeFileSync(path.join(preset, 'preset.json'), '{}');
    writeFileSync(path.join(preset, 'templates/deploy/app.yaml.ejs'), 'name: <%- yaml(name) %>\n');
    const deploy = await committedProject(parent, 'deploy', ['--preset', preset]);
    rmSync(path.join(deploy, 'deploy'), { recursive: true });
    mkdirSync(path.join(outside, 'deploy'));
    symlinkSync(path.join(outside, 'deploy'), path.join(deploy, 'deploy'));
    await expectRefused(bin, deploy, ['--yes', '--skip-install', '--force', '--preset', preset], /deploy is a symbolic link in the project/, { watch: parent });
    cleanup(parent);
  });

  it('3. an unwritable file (chmod 444 as a normal user) stops a re-run and an update before the first write: one line, nothing half-written', async () => {
    const parent = tempDir('contain-');
    chmodSync(parent, 0o755);
    const home = path.join(parent, 'home');
    mkdirSync(home);
    await execa('chown', ['-R', `${NOBODY}:${NOBODY}`, parent]);
    const make = binAsNobody(home, ['--yes', '--skip-install', '--module', 'example.com/acme/svc', '--go-version', '1.26.8', 'svc']);
    await execa(make[0], make[1], { cwd: parent });
    const dir = path.join(parent, 'svc');
    for (const step of [['init', '--quiet'], ['add', '-A'], ['commit', '--quiet', '-m', 'generated']]) {
      const [command, args] = asNobody(['git', ...step], { HOME: home });
      await execa(command, args, { cwd: dir, env: GIT_ENV });
    }
    chmodSync(path.join(dir, 'compose.yaml'), 0o444);
    const rerun = binAsNobody(home, ['--yes', '--skip-install', '--force', '--port', '9090']);
    await expectRefused(rerun[0], dir, rerun[1], /^generator-dockergo: cannot write compose\.yaml: permission denied$/, { watch: parent });
    const update = binAsNobody(home, ['update', '--port', '9090']);
    await expectRefused(update[0], dir, update[1], /^generator-dockergo: cannot write compose\.yaml: permission denied$/, { watch: parent });
    // A folder the user cannot write: the new file's temporary file could not be made there.
    chmodSync(path.join(dir, 'compose.yaml'), 0o644);
    chmodSync(dir, 0o555);
    await expectRefused(rerun[0], dir, rerun[1], /^generator-dockergo: cannot write .*: its folder \.: permission denied$/, { watch: parent });
    chmodSync(dir, 0o755);
    cleanup(parent);
  });

  it('3. an immutable file (chattr +i) stops a re-run before the first write, as root too', async function () {
    const parent = tempDir('contain-');
    const dir = await committedProject(parent);
    const chattr = await execa('chattr', ['+i', path.join(dir, 'main.go')], { reject: false });
    if (chattr.exitCode !== 0) {
      console.log(`      (skipped: chattr +i is not supported here: ${String(chattr.stderr).trim()})`);
      cleanup(parent);
      return this.skip();
    }
    try {
      await expectRefused(bin, dir, ['--yes', '--skip-install', '--force', '--port', '9090'], /^generator-dockergo: cannot write main\.go: operation not permitted/, { watch: parent });
      await expectRefused(bin, dir, ['update', '--port', '9090'], /^generator-dockergo: cannot write main\.go: operation not permitted/, { watch: parent });
    } finally {
      await execa('chattr', ['-i', path.join(dir, 'main.go')]);
      cleanup(parent);
    }
  });

  it('4. JSON nested 100 000 deep in an answers file, or 3 000 deep in .yo-rc.json (re-run and update), is one line', async () => {
    const parent = tempDir('contain-');
    const nested = (depth: number) => `${'['.repeat(depth)}1${']'.repeat(depth)}`;
    writeFileSync(path.join(parent, 'deep.json'), `{"module": ${nested(100_000)}}`);
    await expectRefused(bin, parent, ['--yes', '--answers', 'deep.json', 'p'], /answers file .*deep\.json: nested deeper than 64 levels/);
    const dir = await committedProject(parent);
    const text = read(dir, '.yo-rc.json');
    assert.match(text, /"config": \[\]/);
    writeFileSync(path.join(dir, '.yo-rc.json'), text.replace('"config": []', `"config": ${nested(3_000)}`));
    await expectRefused(bin, dir, ['--yes', '--skip-install'], /\.yo-rc\.json: nested deeper than 64 levels/, { watch: parent });
    await expectRefused(bin, dir, ['update'], /\.yo-rc\.json: nested deeper than 64 levels/, { watch: parent });
    cleanup(parent);
  });

  it('5. --answers - reads stdin to its end, however slowly the producer writes', async () => {
    const parent = tempDir('contain-');
    const child = execa(bin, ['--yes', '--skip-install', '--go-version', '1.26.8', '--answers', '-', 'p'], { cwd: parent, reject: false, all: true, stdin: 'pipe' });
    setTimeout(() => child.stdin.write('{"module": "example.com/'), 500);
    setTimeout(() => child.stdin.end('a/p"}'), 1_200);
    const result = await child;
    assert.equal(result.exitCode, 0, String(result.all));
    assert.match(read(path.join(parent, 'p'), 'go.mod'), /^module example\.com\/a\/p$/m);
    cleanup(parent);
  });

  it('6. update merges bytes: an edit that is not UTF-8 survives byte for byte', async () => {
    const parent = tempDir('contain-');
    const dir = await committedProject(parent);
    appendFileSync(path.join(dir, 'README.md'), Buffer.from('\nCaf\xe9 au lait\n', 'latin1'));
    await git(dir, ['commit', '--quiet', '-am', 'our README line, in latin-1']);
    const update = await run(dir, ['update', '--port', '9090']);
    assert.equal(update.exitCode, 0, update.all);
    assert.match(update.all, /^\s+merged README\.md$/m);
    const readme = readFileSync(path.join(dir, 'README.md'));
    assert.ok(readme.includes(Buffer.from('Caf\xe9 au lait', 'latin1')), 'the 0xe9 byte is kept');
    assert.ok(!readme.includes(Buffer.from('\uFFFD', 'utf8')), 'no replacement character');
    assert.match(readme.toString('latin1'), /port 9090/);
    cleanup(parent);
  });

  it('6. a binary file is never merged as text: yours is kept, and it is a conflict', () => {
    const binary = (text: string) => Buffer.concat([Buffer.from(text), Buffer.from([0, 1, 2])]);
    const [base, now, next] = [binary('base'), binary('yours'), binary('generator')];
    const [file] = planUpdate({
      rendered: [{ destination: 'logo.bin', bytes: next }],
      record: { 'logo.bin': blobId(base) },
      read: () => now,
      base: () => base,
    });
    assert.equal(file!.fate, 'conflict');
    assert.ok(file!.bytes!.equals(now));
    assert.match(file!.note!, /binary file is never merged/);
  });

  it('7. --dry-run says when a preset\'s templates ran; a stored preset outside the project is refused, one inside is run', async () => {
    const parent = tempDir('contain-');
    const marker = path.join(parent, 'MARKER');
    const preset = markingPreset(path.join(parent, 'preset'), marker);
    const dry = await run(parent, ['--yes', '--dry-run', '--module', 'example.com/a/p', '--go-version', '1.26.8', '--preset', preset, 'p']);
    assert.equal(dry.exitCode, 0, dry.all);
    assert.ok(existsSync(marker), 'the overlay ran');
    assert.match(dry.all.trim().split('\n').at(-1)!, /^--dry-run: nothing was written, and neither git nor go was run; preset .*preset's templates were run to render the files above/);
    rmSync(marker);
    // The project's .yo-rc.json names the preset folder outside it: a re-run or update must not run it.
    const dir = await committedProject(parent, 'svc', ['--preset', preset]);
    rmSync(marker);
    await expectRefused(bin, dir, ['--yes', '--skip-install'], /^generator-dockergo: \.yo-rc\.json preset: "\.\.\/preset" is .*, outside the project and not an installed npm package: .*give it with --preset/, { watch: parent });
    await expectRefused(bin, dir, ['update'], /\.yo-rc\.json preset: "\.\.\/preset" is .*outside the project/, { watch: parent });
    assert.ok(!existsSync(marker), 'the stored preset never ran');
    // Given again, it is trusted.
    assert.equal((await run(dir, ['--yes', '--skip-install', '--preset', preset])).exitCode, 0);
    assert.ok(existsSync(marker));
    // A link inside the project that leads out is outside too.
    rmSync(marker);
    symlinkSync(preset, path.join(dir, 'linked-preset'));
    editYoRc(dir, (ours) => (ours['preset'] = 'linked-preset'));
    await expectRefused(bin, dir, ['--yes', '--skip-install'], /\.yo-rc\.json preset: "linked-preset" is .*preset, outside the project/, { watch: parent });
    // Inside the project, a stored preset is the project's own code: it runs.
    rmSync(path.join(dir, 'linked-preset'));
    markingPreset(path.join(dir, 'presets/own'), marker);
    editYoRc(dir, (ours) => (ours['preset'] = 'presets/own'));
    const own = await run(dir, ['--yes', '--skip-install', '--force']);
    assert.equal(own.exitCode, 0, own.all);
    assert.ok(existsSync(marker));
    cleanup(parent);
  });

  it('8. YAML keys and values are quoted: --name null, true, on, yes, 1, 1.5, 0x10 and 1_000 stay strings in compose.yaml', async () => {
    const parent = tempDir('contain-');
    for (const name of ['null', 'true', 'on', 'yes', '1', '1.5', '0x10', '1_000']) {
      const folder = `p-${name.replace(/[._]/g, '-')}`;
      const made = await run(parent, ['--yes', '--skip-install', '--module', `example.com/acme/${folder}`, '--name', name, '--go-version', '1.26.8', folder]);
      assert.equal(made.exitCode, 0, made.all);
      const text = read(path.join(parent, folder), 'compose.yaml');
      const compose = load(text) as { name: unknown; services: Record<string, unknown> };
      assert.strictEqual(compose.name, name);
      assert.deepEqual(Object.keys(compose.services), [name]);
      // YAML 1.1 readers (on, yes) too: the key is double-quoted in the text itself.
      assert.match(text, new RegExp(`^  "${name.replace('.', '\\.')}":$`, 'm'));
    }
    cleanup(parent);
  });

  it('9. pre-release Go versions are checked against the releases: --go-version 1.22rc9 and 1.22beta1 are refused', async () => {
    const parent = tempDir('contain-');
    for (const version of ['1.22rc9', '1.22beta1']) {
      await expectRefused(bin, parent, ['--yes', '--module', 'example.com/a/p', '--go-version', version, 'p'], new RegExp(`--go-version: "${version}" is no release: 1\\.\\d+'s pre-releases are .*: must be a Go release`));
    }
    const ok = await run(parent, ['--yes', '--skip-install', '--module', 'example.com/a/p', '--go-version', '1.27rc1', 'p']);
    assert.equal(ok.exitCode, 0, ok.all);
    assert.match(read(path.join(parent, 'p'), 'Dockerfile'), /^ARG GO_VERSION=1\.27rc1$/m);
    cleanup(parent);
  });

  it('9. every pre-release in the table is one the Go module proxy serves (golang.org/toolchain), and 1.22rc9 is not', async function () {
    this.timeout(600_000);
    const served = async (version: string) =>
      (await execa('go', ['list', '-m', '-json', `golang.org/toolchain@v0.0.1-go${version}.linux-amd64`], { reject: false, timeout: 60_000, cwd: tempDir('toolchain-') })).exitCode === 0;
    for (const [minor, pre] of Object.entries(PRERELEASES)) for (const p of pre) assert.ok(await served(`1.${minor}${p}`), `1.${minor}${p}`);
    assert.ok(!(await served('1.22rc9')));
  });

  it('10. a main package folder Go refuses (cmd/-rf) is never picked, and make build works', async () => {
    const dir = writeModule({ 'go.mod': 'module example.com/dash\n\ngo 1.26\n', 'cmd/-rf/main.go': SERVICE_MAIN, 'cmd/ok/main.go': SERVICE_MAIN });
    const result = await run(dir, ['docker', '--yes']);
    assert.equal(result.exitCode, 0, result.all);
    assert.match(read(dir, 'Dockerfile'), /\.\/cmd\/ok$/m);
    assert.doesNotMatch(read(dir, 'Dockerfile') + read(dir, 'Makefile') + read(dir, '.dockerignore'), /cmd\/-rf/);
    await execa('make', ['build'], { cwd: dir, env: { GOFLAGS: '-mod=mod' } });
    const only = writeModule({ 'go.mod': 'module example.com/dash\n\ngo 1.26\n', 'cmd/-rf/main.go': SERVICE_MAIN });
    await expectRefused(bin, only, ['docker', '--yes'], /no main package at the module root or in cmd\/\*/);
    cleanup(dir);
    cleanup(only);
  });

  it('11. an image engine\'s control files are refused as config files', async () => {
    const parent = tempDir('contain-');
    for (const file of ['Dockerfile.dockerignore', '.containerignore', 'Containerfile', 'Dockerfile.containerignore', 'Dockerfile.dev', 'conf/x.dockerignore']) {
      await expectRefused(bin, parent, ['--yes', '--module', 'example.com/a/p', '--config', file, 'p'], /--config: ".*" is a file an image engine reads as its own/);
    }
    cleanup(parent);
  });

  it('12. committed conflict markers are reported by the next update, exit 3, the file untouched', async () => {
    const parent = tempDir('contain-');
    const dir = await committedProject(parent);
    const marked = read(dir, 'Dockerfile').replace(/^WORKDIR \/src$/m, '<<<<<<< yours\nWORKDIR /src\n=======\nWORKDIR /build\n>>>>>>> generator');
    writeFileSync(path.join(dir, 'Dockerfile'), marked);
    await git(dir, ['commit', '--quiet', '-am', 'committed with markers']);
    const update = await run(dir, ['update']);
    assert.equal(update.exitCode, 3, update.all);
    assert.match(update.all, /^\s+conflict Dockerfile \(1 conflicting hunk; unresolved markers from an earlier update\)$/m);
    assert.doesNotMatch(update.all, /up to date/);
    assert.equal(read(dir, 'Dockerfile'), marked);
    cleanup(parent);
  });

  it('13. //go:embed * allows the files Go embeds, never "!*"; embedding a .env is refused', async () => {
    const main = 'package main\n\nimport "embed"\n\n//go:embed *\nvar files embed.FS\n\nfunc main() { _ = files }\n';
    const dir = writeModule({ 'go.mod': 'module example.com/embed\n\ngo 1.26\n', 'main.go': main, 'page.html': '<p>hi</p>\n' });
    const result = await run(dir, ['docker', '--yes', '--kind', 'cli']);
    assert.equal(result.exitCode, 0, result.all);
    const lines = read(dir, '.dockerignore').split('\n');
    assert.ok(!lines.includes('!*'), lines.join('\n'));
    assert.ok(lines.includes('!page.html'));
    const secret = writeModule({ 'go.mod': 'module example.com/embed\n\ngo 1.26\n', 'main.go': main, '.env': 'TOKEN=secret\n' });
    await expectRefused(bin, secret, ['docker', '--yes', '--kind', 'cli'], /\/\/go:embed in \. embeds \.env, which holds credentials/);
    cleanup(dir);
    cleanup(secret);
  });

  it('14. error lines escape control bytes: ESC, C1 and line breaks are never printed raw', async () => {
    const parent = tempDir('contain-');
    writeFileSync(path.join(parent, 'esc.json'), JSON.stringify({ module: '\u001b[31mred\u009b2J' }));
    const line = await expectRefused(bin, parent, ['--yes', '--answers', 'esc.json', 'p'], /answers file .*esc\.json: module: /);
    // eslint-disable-next-line no-control-regex -- the raw ESC and CSI bytes are what must never be printed
    assert.doesNotMatch(line, /[\u001b\u009b]/);
    assert.match(line, /"\\u001b\[31mred\\x9b2J"/);
    const broken = await expectRefused(bin, parent, ['--yes', '--answers', 'no\nsuch.json', 'p'], /answers file .*no\\nsuch\.json: cannot read it: ENOENT/);
    assert.doesNotMatch(broken, /no such\.json/);
    cleanup(parent);
  });

  it('15. a preset package name cannot leave node_modules', async () => {
    const parent = tempDir('contain-');
    const marker = path.join(parent, 'MARKER');
    markingPreset(path.join(parent, 'evil'), marker);
    const deep = path.join(parent, 'a/b/c/d');
    mkdirSync(deep, { recursive: true });
    await expectRefused(bin, deep, ['--yes', '--module', 'example.com/a/p', 'p'], /^generator-dockergo: DOCKERGO_PRESET: "@x\/\.\.\/\.\.\/\.\.\/\.\.\/evil" is not valid: must be a folder, or an npm package name/, {
      env: { DOCKERGO_PRESET: '@x/../../../../evil' },
      watch: parent,
    });
    await expectRefused(bin, deep, ['--yes', '--module', 'example.com/a/p', '--preset', '@x/../../../../evil', 'p'], /--preset: ".*" is not valid: must be a folder, or an npm package name/, { watch: parent });
    assert.ok(!existsSync(marker));
    cleanup(parent);
  });

  it('nothing in generators/ writes to the disk except the one writer (lib/write/)', () => {
    const writes = /\b(writeFileSync|writeFile|appendFileSync|rmSync|rm|unlinkSync|unlink|renameSync|rename|mkdirSync|mkdir|mkdtempSync|chmodSync|chownSync|copyFileSync|cpSync|createWriteStream|symlinkSync|truncateSync|rmdirSync|openSync)\s*\(|fs\.commit\(|renderTemplate\(|copyTpl\(/;
    const offenders: string[] = [];
    for (const file of listFiles(path.join(PACKAGE_ROOT, 'generators')).filter((f) => f.endsWith('.ts') && !f.startsWith('lib/write/'))) {
      readFileSync(path.join(PACKAGE_ROOT, 'generators', file), 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (!/^\s*(\/\/|\*)/.test(line) && writes.test(line)) offenders.push(`generators/${file}:${i + 1}: ${line.trim()}`);
        });
    }
    assert.deepEqual(offenders, []);
  });
});
