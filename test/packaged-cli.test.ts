// The package as users get it: packed, installed from the tarball, run as a child process.
import assert from 'node:assert/strict';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import { execa } from 'execa';
import { INPUTS, SWITCHES } from '../generators/lib/inputs/index.js';
import { shopModule } from './support/modules.js';
import { packedPackage, toolRecorders } from './support/packed.js';
import { cleanup, listFiles, PACKAGE_ROOT, read, tempDir } from './support/project.js';
import { asNobody, NOBODY } from './support/users.js';


describe('the packed package', function () {
  this.timeout(300_000);
  let prefix = '';
  let bin = '';

  before(async () => {
    ({ prefix, bin } = await packedPackage());
  });

  it('ships compiled JS, every template and the bin, and no TypeScript sources or tests', () => {
    const installed = path.join(prefix, 'node_modules/generator-dockergo');
    const files = listFiles(installed);
    for (const f of ['dist/generator-dockergo.js', 'generators/app/index.js', 'generators/lib/inputs/index.js', 'README.md'])
      assert.ok(files.includes(f), f);
    const templates = listFiles(path.join(PACKAGE_ROOT, 'templates')).map((t) => `templates/${t}`);
    assert.ok(templates.length > 8);
    for (const t of templates) assert.ok(files.includes(t), `missing ${t}`);
    assert.deepEqual(files.filter((f) => f.endsWith('.ts') || f.startsWith('test/')), []);
  });

  it('the bin is one bundled file that leaves npm\'s installer out until something calls it', () => {
    const installed = path.join(prefix, 'node_modules/generator-dockergo');
    const manifest = JSON.parse(readFileSync(path.join(installed, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    assert.equal(manifest.bin['generator-dockergo'], 'dist/generator-dockergo.js');
    const bundle = readFileSync(path.join(installed, 'dist/generator-dockergo.js'), 'utf8');
    // Its own imports are node built-ins and the lazily loaded installer only.
    const imports = [...bundle.matchAll(/^import .* from ["']([^"']+)["'];?$/gm)].map((m) => m[1]!);
    assert.deepEqual(imports.filter((i) => !isBuiltin(i)), []);
    assert.ok(/import\(["']fly-import["']\)/.test(bundle), 'fly-import is not loaded lazily');
    assert.ok(!bundle.includes('@npmcli/arborist'), 'npm\'s installer is in the bundle');
    // yeoman-generator and yeoman-environment know their own versions, not ours.
    assert.ok(/"name": "yeoman-generator", "version": "8\./.test(bundle), 'yeoman-generator\'s version is not written in');
    assert.ok(/"name": "yeoman-environment", "version": "6\./.test(bundle), 'yeoman-environment\'s version is not written in');
  });

  it('--help lists every flag with its description and default', async () => {
    const help = (await execa(bin, ['--help'], { cwd: prefix })).stdout.replace(/\s+/g, ' ');
    for (const input of INPUTS) {
      const boolean = 'boolean' in input && input.boolean;
      assert.ok(help.includes(boolean ? `--${input.flag} ` : `--${input.flag} <value`), input.flag);
      assert.ok(help.includes(`${input.description} (default: ${input.defaultHelp})`), input.flag);
    }
    for (const s of SWITCHES) {
      const listed = help.includes(`${s.description} (default: ${s.defaultHelp})`);
      assert.equal(listed, s.only !== 'docker', s.flag);
    }
    assert.match(help, /Commands:\s+docker \[options\]/);
  });

  it('scaffolds with --yes, runs git init and go mod tidy, and the project builds', async () => {
    const dir = tempDir();
    const run = await execa(bin, ['--yes', '--module', 'example.com/e2e/svc', '--config', 'app.yaml'], { cwd: dir, all: true });
    assert.match(run.all ?? '', /svc is ready/);
    assert.match(run.all ?? '', /^ {2}docker compose watch /m);
    assert.ok(existsSync(path.join(dir, '.git')), 'git init did not run');
    assert.ok(listFiles(dir).includes('app.yaml'));
    await execa('go', ['build', './...'], { cwd: dir });
    cleanup(dir);
  });

  it('--skip-install runs neither git nor go; without it both run', async () => {
    const recorders = toolRecorders();
    const calls = async (extra: string[]): Promise<string[]> => {
      recorders.reset();
      const dir = tempDir();
      await execa(bin, ['--yes', '--module', 'example.com/e2e/quiet', '--go-version', '1.26.8', ...extra], { cwd: dir, env: recorders.env, all: true, reject: false });
      cleanup(dir);
      return recorders.calls();
    };
    assert.deepEqual(await calls(['--skip-install']), []);
    const ran = await calls([]);
    assert.ok(ran.some((c) => c.startsWith('git ')) && ran.includes('go mod tidy'), ran.join('; '));
    cleanup(recorders.dir);
  });

  it('a re-run with no flags reuses the answers and Yeoman finds every file identical', async () => {
    const dir = tempDir();
    await execa(bin, ['--yes', '--skip-install', '--module', 'example.com/e2e/again', '--kind', 'cli', '--layout', 'cmd'], { cwd: dir });
    const before = listFiles(dir).map((f) => [f, read(dir, f)]);
    const again = await execa(bin, ['--skip-install'], { cwd: dir, all: true, stdin: 'ignore' });
    const statuses = [...(again.all ?? '').matchAll(/^\s*(create|identical|conflict|force|skip)\s+(\S+)$/gm)];
    const written = statuses.map((m) => [m[1]!, m[2]!]).filter(([, file]) => file !== '.yo-rc.json');
    assert.ok(written.length >= 9, again.all);
    for (const [status, file] of written) assert.equal(status, 'identical', `${file}: ${status}`);
    assert.deepEqual(listFiles(dir).map((f) => [f, read(dir, f)]), before);
    cleanup(dir);
  });

  it('without a TTY it asks nothing and takes the defaults', async () => {
    const dir = path.join(tempDir(), 'Piped App');
    mkdirSync(dir);
    await execa(bin, ['--skip-install'], { cwd: dir, stdin: 'pipe', input: '' });
    assert.match(read(dir, 'go.mod'), /^module example\.com\/piped-app$/m);
  });

  it('bad input prints one line, exits 1 and writes nothing', async () => {
    const dir = tempDir();
    const run = await execa(bin, ['--yes', '--port', '70000'], { cwd: dir, reject: false });
    assert.equal(run.exitCode, 1);
    assert.equal(run.stderr, 'generator-dockergo: --port: "70000" is over 65535: must be an integer from 1 to 65535');
    assert.doesNotMatch(run.stdout, /error|at /i);
    assert.deepEqual(readdirSync(dir), []);
    cleanup(dir);
  });

  it('`generator-dockergo docker` containerises an existing module; its --help lists --main', async () => {
    const dir = shopModule();
    const help = (await execa(bin, ['docker', '--help'], { cwd: dir })).stdout;
    assert.match(help, /^Usage: generator-dockergo docker \[options\]/);
    assert.match(help, /--main <value>/);
    assert.doesNotMatch(help, /--module|--layout/);
    const run = await execa(bin, ['docker', '--yes', '--main', './cmd/api'], { cwd: dir, all: true });
    assert.match(run.all ?? '', /Container files for example\.com\/legacy\/shop \(\.\/cmd\/api\) are ready/);
    assert.match(read(dir, 'Dockerfile'), /\.\/cmd\/api$/m);
    const several = await execa(bin, ['docker', '--yes'], { cwd: shopModule(), reject: false });
    assert.equal(several.exitCode, 1);
    assert.equal(several.stderr, 'generator-dockergo: several main packages (./cmd/api, ./cmd/worker): pick one with --main, e.g. --main ./cmd/api');
  });

  it('--config repeats and takes commas, and does not swallow the folder argument', async () => {
    const parent = tempDir();
    await execa(bin, ['--yes', '--skip-install', '--config', 'a.yaml', '--config', 'b.toml,c.json', 'svc'], { cwd: parent });
    const dir = path.join(parent, 'svc');
    assert.match(read(dir, 'Dockerfile'), /^CMD \["-config", "\/etc\/svc\/a\.yaml", "-config", "\/etc\/svc\/b\.toml", "-config", "\/etc\/svc\/c\.json"\]$/m);
    cleanup(parent);
  });

  it('--answers - reads the answers from stdin', async () => {
    const dir = tempDir();
    const input = JSON.stringify({ module: 'example.com/e2e/stdin', kind: 'cli', base: 'scratch' });
    await execa(bin, ['--skip-install', '--answers', '-'], { cwd: dir, input });
    assert.match(read(dir, 'go.mod'), /^module example\.com\/e2e\/stdin$/m);
    assert.match(read(dir, 'Dockerfile'), /^FROM scratch AS runtime$/m);
    cleanup(dir);
  });

  it('yo dockergo and yo dockergo:docker work too (as an unprivileged user: yo drops root)', async () => {
    const dir = tempDir('dockergo-yo-');
    const home = path.join(dir, 'home');
    const out = path.join(dir, 'out');
    const shop = shopModule();
    mkdirSync(home);
    mkdirSync(out);
    chmodSync(dir, 0o755);
    chmodSync(shop, 0o755);
    const asRoot = process.getuid?.() === 0;
    if (asRoot) for (const d of [home, out, shop]) chownSync(d, NOBODY, NOBODY);
    const yo = async (cwd: string, args: string[]) => {
      const command = [process.execPath, path.join(prefix, 'node_modules/yo/lib/cli.js'), ...args];
      // The go command's caches are the unprivileged user's own, whatever this process's environment names.
      const go = { GOPATH: path.join(home, 'go'), GOCACHE: path.join(home, '.cache/go-build'), GOMODCACHE: path.join(home, 'go/pkg/mod') };
      const env = { HOME: home, NODE_PATH: path.join(prefix, 'node_modules'), NO_UPDATE_NOTIFIER: '1', CI: 'true', ...go };
      const [file, argv] = asRoot ? asNobody(command) : [command[0]!, command.slice(1)];
      const run = await execa(file, argv, { cwd, env, reject: false, all: true });
      assert.equal(run.exitCode, 0, run.all);
    };
    await yo(out, ['dockergo', '--yes', '--skip-install', '--module', 'example.com/e2e/viayo', '--base', 'scratch']);
    assert.match(read(out, 'Dockerfile'), /^FROM scratch AS runtime$/m);
    assert.match(read(out, 'go.mod'), /^module example\.com\/e2e\/viayo$/m);
    for (const f of ['a.yaml', 'b.yaml']) writeFileSync(path.join(shop, f), 'x: 1\n');
    await yo(shop, ['dockergo:docker', '--yes', '--main', './cmd/api', '--config', 'a.yaml', '--config', 'b.yaml']);
    assert.match(read(shop, 'Dockerfile'), /^CMD \["-config", "\/etc\/api\/a\.yaml", "-config", "\/etc\/api\/b\.yaml"\]$/m);
    // dockergo:update finds the generator that made the project and runs it in update mode.
    await yo(shop, ['dockergo:update', '--port', '9393']);
    assert.match(read(shop, 'Dockerfile'), /^ENV PORT=9393$/m);
    cleanup(dir);
  });
});
