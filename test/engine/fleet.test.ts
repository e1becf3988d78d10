// `generator-dockergo fleet`, through the packed bin, against a real git server: nginx and git
// http-backend over HTTPS with basic auth, 22 repositories generated here (current, behind after a
// preset change, edited, conflicting, not a project, a server that refuses the push, a forged
// .yo-rc.json, an existing module), a pre-receive hook that records pushes and their options.
// Every status, exit code and pushed branch is checked, every default branch stays byte for byte,
// --check writes nothing anywhere, a second run proposes nothing new, and hostile lines are data.
import assert from 'node:assert/strict';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa, type Options } from 'execa';
import { FLEET_PRESET, publishProject, writeFleetPreset } from '../support/fleet.js';
import { startGitServer, type GitServer } from '../support/git-server.js';
import { shopModule } from '../support/modules.js';
import { packedPackage } from '../support/packed.js';
import { cleanup, read, snapshot, tempDir } from '../support/project.js';
import { GIT_ENV } from '../support/users.js';

const PRESET = FLEET_PRESET;
const KINDS = { current: 5, behind: 8, edited: 3, conflict: 2 } as const;

let bin = '';
let server: GitServer;
let scratch = '';
/** The fleet's environment: its HOME (netrc), the test CA, the preset where npm puts it. */
let env: Record<string, string> = {};

async function run(cwd: string, args: string[], options: Options = {}) {
  const result = await execa(bin, args, { cwd, reject: false, all: true, stdin: 'ignore', env, ...options } as Options);
  return { ...result, all: String(result.all), stdout: String(result.stdout), stderr: String(result.stderr) };
}

const git = async (cwd: string, args: string[], extra: Record<string, string> = {}) => (await execa('git', args, { cwd, env: { ...env, ...GIT_ENV, ...extra } })).stdout;

const writePreset = (version: 1 | 2) => writeFleetPreset(path.join(scratch, 'presets/node_modules'), version);
const publish = (name: string, dir: string) => publishProject(server, name, dir, env);

async function service(name: string, edit?: (dir: string) => void): Promise<void> {
  const parent = path.join(scratch, 'work');
  const made = await run(parent, ['--yes', '--skip-install', '--module', `example.com/acme/${name}`, '--go-version', '1.26.8', '--preset', PRESET, name]);
  assert.equal(made.exitCode, 0, made.all);
  const dir = path.join(parent, name);
  await publish(name, dir);
  if (edit) {
    edit(dir);
    await git(dir, ['commit', '--quiet', '-am', 'our edit']);
    await git(dir, ['push', '--quiet', `${server.url}${name}.git`, 'main']);
  }
}

/** Every ref of every repository on the server: what must not change where nothing is pushed. */
async function serverRefs(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of names()) out[name] = await git(path.join(server.repos, `${name}.git`), ['for-each-ref', '--format=%(refname) %(objectname)']);
  return out;
}

function names(): string[] {
  const out: string[] = [];
  for (const [kind, count] of Object.entries(KINDS)) for (let i = 1; i <= count; i++) out.push(`${kind}-${String(i).padStart(2, '0')}`);
  return [...out, 'notproject', 'refused', 'forged', 'existing'];
}

type Report = { repositories: { line: number; repository: string; status: string; branch?: string; files?: { path: string; action: string; edited: boolean }[]; error?: string }[] };

function writeRepos(file: string, lines: string[]): string {
  const full = path.join(scratch, file);
  writeFileSync(full, `# the fleet (${file})\n\n${lines.join('\n')}\n`);
  return full;
}

const url = (name: string) => `${server.url}${name}.git`;

describe('generator-dockergo fleet: a real git server, 22 repositories', function () {
  this.timeout(900_000);
  before(async () => {
    ({ bin } = await packedPackage());
    scratch = tempDir('dockergo-fleet-');
    server = await startGitServer(path.join(scratch, 'server'));
    const home = path.join(scratch, 'home');
    mkdirSync(home);
    writeFileSync(path.join(home, '.netrc'), `machine 127.0.0.1 login ${server.user} password ${server.password}\n`, { mode: 0o600 });
    env = { HOME: home, GIT_SSL_CAINFO: server.caFile, NODE_PATH: path.join(scratch, 'presets/node_modules'), GIT_CONFIG_NOSYSTEM: '1' };
    mkdirSync(path.join(scratch, 'work'));
    writePreset(2);
    for (let i = 1; i <= KINDS.current; i++) await service(`current-0${i}`);
    writePreset(1);
    for (let i = 1; i <= KINDS.behind; i++) await service(`behind-0${i}`);
    const builderEdit = (dir: string) => writeFileSync(path.join(dir, 'Dockerfile'), read(dir, 'Dockerfile').replace(/^WORKDIR \/src$/m, 'WORKDIR /src\nRUN echo "our builder edit"'));
    for (let i = 1; i <= KINDS.edited; i++) await service(`edited-0${i}`, builderEdit);
    const labelEdit = (dir: string) => writeFileSync(path.join(dir, 'Dockerfile'), read(dir, 'Dockerfile').replace('com.acme.team="payments"', 'com.acme.team="payments-eu"'));
    for (let i = 1; i <= KINDS.conflict; i++) await service(`conflict-0${i}`, labelEdit);
    const plain = path.join(scratch, 'work/notproject');
    mkdirSync(plain);
    writeFileSync(path.join(plain, 'README.md'), 'not generated\n');
    await publish('notproject', plain);
    await service('refused');
    writeFileSync(path.join(server.repos, 'refused.git', 'refuse-push'), '');
    await service('forged', (dir) => {
      const yoRc = JSON.parse(read(dir, '.yo-rc.json')) as { 'generator-dockergo': { files: Record<string, string> } };
      yoRc['generator-dockergo'].files['../victim'] = '0'.repeat(40);
      writeFileSync(path.join(dir, '.yo-rc.json'), JSON.stringify(yoRc, null, 2));
    });
    const shop = shopModule();
    const existing = path.join(scratch, 'work/existing');
    cpSync(shop, existing, { recursive: true });
    cleanup(shop);
    const made = await run(existing, ['docker', '--yes', '--skip-install', '--main', './cmd/api', '--preset', PRESET]);
    assert.equal(made.exitCode, 0, made.all);
    await publish('existing', existing);
    // The platform team releases v2.
    writePreset(2);
    server.forgetPushes();
  });
  after(async () => {
    await server?.stop();
    if (scratch) cleanup(scratch);
  });

  it('fleet --check: exit 2 when any is behind; current and behind named; nothing written on the server or here', async () => {
    const lines = names().filter((n) => !['refused', 'forged', 'notproject'].includes(n)).map(url);
    const refs = await serverRefs();
    const here = snapshot(path.join(scratch, 'work'));
    const checked = await run(scratch, ['fleet', writeRepos('check.txt', lines), '--check', '--report', path.join(scratch, 'check.json')]);
    assert.equal(checked.exitCode, 2, checked.all);
    const report = JSON.parse(read(scratch, 'check.json')) as Report;
    const status = Object.fromEntries(report.repositories.map((r) => [r.repository.replace(/.*\/(.*)\.git$/, '$1'), r.status]));
    for (const n of Object.keys(status)) assert.equal(status[n], n.startsWith('current') ? 'current' : 'behind', n);
    assert.deepEqual(report.repositories.map((r) => r.line), lines.map((_, i) => i + 3), 'in the order of REPOS, by line');
    const edited = report.repositories.find((r) => r.repository.includes('edited-01'))!;
    assert.deepEqual(edited.files?.find((f) => f.path === 'Dockerfile'), { path: 'Dockerfile', action: 'merge', edited: true });
    assert.deepEqual(await serverRefs(), refs);
    assert.deepEqual(server.pushes(), []);
    assert.deepEqual(snapshot(path.join(scratch, 'work')), here, 'a local tree changed');
    // Only behind and current: exit 0 when none is behind.
    const current = await run(scratch, ['fleet', writeRepos('current.txt', names().filter((n) => n.startsWith('current')).map(url)), '--check']);
    assert.equal(current.exitCode, 0, current.all);
  });

  describe('fleet: update, commit on a branch, push with push options', () => {
    let first: Awaited<ReturnType<typeof run>>;
    let report: Report;
    let refsBefore: Record<string, string> = {};
    const status = (name: string) => report.repositories.find((r) => r.repository.endsWith(`/${name}.git`) || r.repository === url(name))!;
    before(async () => {
      refsBefore = await serverRefs();
      const lines = names().map(url);
      // One line with credentials in it: they are used, and masked everywhere.
      lines[0] = lines[0]!.replace('https://', `https://${server.user}:${server.password}@`);
      first = await run(scratch, ['fleet', writeRepos('all.txt', lines), '--push-option', 'merge_request.create', '--push-option', 'merge_request.target=main', '--report', path.join(scratch, 'all.json')]);
      report = JSON.parse(read(scratch, 'all.json')) as Report;
    });

    it('exit 1 (an error), every repository run, and each status as it is', () => {
      assert.equal(first.exitCode, 1, first.all);
      assert.equal(report.repositories.length, names().length);
      for (const n of names()) {
        const expected = n.startsWith('current') ? 'current'
          : n.startsWith('conflict') ? 'conflicts'
          : n === 'notproject' ? 'not a dockergo project'
          : n === 'refused' || n === 'forged' ? 'error'
          : 'updated';
        assert.equal(status(n).status, expected, `${n}: ${JSON.stringify(status(n))}`);
      }
      assert.match(status('refused').error!, /pushes to this repository are closed/);
      assert.match(status('forged').error!, /\.yo-rc\.json files: "\.\.\/victim"/);
      assert.deepEqual(status('conflict-01').files?.map((f) => `${f.action} ${f.path}`), ['conflict Dockerfile']);
      // The table, in the order of REPOS, and the summary.
      assert.match(first.stdout, /^repository +status +versions +files or error$/m);
      assert.match(first.stdout, /^fleet: 22 repositories: /m);
    });

    it('the credentials of a URL are masked in every line and in the report', () => {
      assert.ok(!first.all.includes(server.password), 'the password was printed');
      assert.ok(!read(scratch, 'all.json').includes(server.password), 'the password is in the report');
      assert.match(report.repositories[0]!.repository, /^https:\/\/\*\*\*@127\.0\.0\.1:\d+\/current-01\.git$/);
    });

    it('each update is pushed on dockergo/update with the push options; no default branch moved; nothing else pushed', async () => {
      const refs = await serverRefs();
      const updated = names().filter((n) => status(n).status === 'updated');
      assert.equal(updated.length, KINDS.behind + KINDS.edited + 1);
      for (const n of names()) {
        const main = (text: string) => text.split('\n').find((l) => l.startsWith('refs/heads/main '));
        assert.equal(main(refs[n]!), main(refsBefore[n]!), `${n}: main moved`);
        assert.equal(refs[n]!.includes('refs/heads/dockergo/update '), updated.includes(n), n);
      }
      const pushes = server.pushes().filter((p) => p.repo !== 'refused.git');
      assert.deepEqual(pushes.map((p) => p.repo).sort(), updated.map((n) => `${n}.git`).sort());
      for (const p of server.pushes()) {
        assert.deepEqual(p.refs, ['refs/heads/dockergo/update']);
        assert.deepEqual(p.options, ['merge_request.create', 'merge_request.target=main']);
      }
    });

    it('the pushed branch is byte for byte what `update` makes on a clone, and its commit says why', async () => {
      for (const n of ['behind-01', 'edited-01', 'existing']) {
        const clone = path.join(scratch, `clone-${n}`);
        await git(scratch, ['clone', '--quiet', url(n), clone]);
        const updated = await run(clone, ['update']);
        assert.equal(updated.exitCode, 0, updated.all);
        await git(clone, ['add', '-A']);
        await git(clone, ['commit', '--quiet', '-m', 'by hand']);
        await git(clone, ['fetch', '--quiet', 'origin', 'dockergo/update']);
        assert.equal(await git(clone, ['rev-parse', 'HEAD^{tree}']), await git(clone, ['rev-parse', 'FETCH_HEAD^{tree}']), n);
        const message = await git(clone, ['log', '-1', '--format=%B', 'FETCH_HEAD']);
        assert.match(message, /^generator-dockergo update: generator \S+, preset @acme\/fleet-preset 1\.0\.0 → 2\.0\.0$/m);
        assert.match(message, /^ {2}2\.0\.0: every image says its tier$/m);
        assert.match(message, /^ {2}update +Dockerfile|^ {2}merge +Dockerfile/m);
        cleanup(clone);
      }
    });

    it('a second run pushes nothing: "already proposed"', async () => {
      const pushes = server.pushes().length;
      const again = await run(scratch, ['fleet', writeRepos('again.txt', names().filter((n) => n.startsWith('behind') || n.startsWith('edited')).map(url)), '--report', path.join(scratch, 'again.json')]);
      assert.equal(again.exitCode, 0, again.all);
      for (const r of (JSON.parse(read(scratch, 'again.json')) as Report).repositories) assert.equal(r.status, 'already proposed', r.repository);
      assert.equal(server.pushes().length, pushes);
    });

    it('exit 3 when conflicts are the worst, 0 when all is current', async () => {
      const conflicts = await run(scratch, ['fleet', writeRepos('conflicts.txt', [url('conflict-01'), url('current-01')])]);
      assert.equal(conflicts.exitCode, 3, conflicts.all);
      const current = await run(scratch, ['fleet', writeRepos('current2.txt', [url('current-02')])]);
      assert.equal(current.exitCode, 0, current.all);
    });
  });

  it('--shard K/N: fixed, disjoint shares that together are the list, whose reports concatenate into one', async () => {
    const file = writeRepos('shard.txt', names().filter((n) => n.startsWith('current') || n.startsWith('behind')).map(url));
    const shares: string[][] = [];
    for (const k of [1, 2, 3]) {
      const report = path.join(scratch, `shard-${k}.json`);
      const ran = await run(scratch, ['fleet', file, '--check', '--shard', `${k}/3`, '--report', report]);
      assert.ok([0, 2].includes(ran.exitCode ?? -1), ran.all);
      shares.push((JSON.parse(read(scratch, `shard-${k}.json`)) as Report).repositories.map((r) => r.repository));
    }
    const all = shares.flat();
    assert.equal(new Set(all).size, all.length, 'a repository in two shares');
    assert.equal(all.length, KINDS.current + KINDS.behind);
    const again = await run(scratch, ['fleet', file, '--check', '--shard', '2/3', '--report', path.join(scratch, 'shard-2b.json')]);
    assert.ok([0, 2].includes(again.exitCode ?? -1), again.all);
    assert.deepEqual((JSON.parse(read(scratch, 'shard-2b.json')) as Report).repositories.map((r) => r.repository), shares[1]);
  });

  it('hostile lines are data: each one line, the others still run, no command run; a bad flag is one line', async () => {
    const marker = path.join(scratch, 'ext-ran');
    const link = path.join(scratch, 'linked');
    symlinkSync(path.join(scratch, 'work/behind-01'), link);
    const lines = [`ext::sh -c touch% ${marker}`, '-uupload-pack=touch', 'http://127.0.0.1:1/x.git', 'linked', url('current-03')];
    const ran = await run(scratch, ['fleet', writeRepos('hostile.txt', lines), '--check', '--report', path.join(scratch, 'hostile.json')]);
    assert.equal(ran.exitCode, 1, ran.all);
    const repos = (JSON.parse(read(scratch, 'hostile.json')) as Report).repositories;
    assert.deepEqual(repos.map((r) => r.status), ['error', 'error', 'error', 'error', 'current']);
    assert.match(repos[0]!.error!, /names a transport with "::" \(ext::, which runs a command\)/);
    assert.match(repos[1]!.error!, /starts with "-", which git reads as an option/);
    assert.match(repos[2]!.error!, /has the scheme http:\/\//);
    assert.match(repos[3]!.error!, /linked is a symbolic link/);
    assert.ok(!existsSync(marker), 'ext:: ran a command');
    const bad = await run(scratch, ['fleet', path.join(scratch, 'hostile.txt'), '--branch', 'main..x']);
    assert.equal(bad.exitCode, 1);
    assert.match(bad.stderr, /^generator-dockergo: --branch: "main\.\.x" has "\.\."/);
    assert.equal(bad.stderr.trim().split('\n').length, 1);
  });

  it('a local path gets the branch, without a push; its working tree, current branch and hooks are left alone', async () => {
    const local = path.join(scratch, 'local-behind');
    await git(scratch, ['clone', '--quiet', url('behind-02'), local]);
    const ran = path.join(scratch, 'hook-ran');
    for (const hook of ['reference-transaction', 'post-checkout', 'pre-push']) {
      writeFileSync(path.join(local, '.git/hooks', hook), `#!/bin/sh\ntouch ${ran}\n`);
      chmodSync(path.join(local, '.git/hooks', hook), 0o755);
    }
    const tree = snapshot(local);
    const pushes = server.pushes().length;
    const fleet = await run(scratch, ['fleet', writeRepos('local.txt', ['local-behind']), '--branch', 'platform/update']);
    assert.equal(fleet.exitCode, 0, fleet.all);
    assert.match(fleet.stdout, /^local-behind +updated /m);
    assert.ok(!existsSync(ran), 'a hook of the local repository ran');
    assert.equal(server.pushes().length, pushes, 'something was pushed');
    assert.equal(await git(local, ['symbolic-ref', '--short', 'HEAD']), 'main');
    assert.match(await git(local, ['log', '-1', '--format=%s', 'platform/update']), /^generator-dockergo update: /);
    const now = snapshot(local);
    for (const entry of Object.keys(now)) if (entry.startsWith('.git')) delete now[entry];
    for (const entry of Object.keys(tree)) if (entry.startsWith('.git')) delete tree[entry];
    assert.deepEqual(now, tree, 'the working tree changed');
    assert.ok(readFileSync(path.join(local, 'Dockerfile'), 'utf8').includes('com.acme.team'));
  });
});
