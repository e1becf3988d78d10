// The containment property, with fast-check through the packed bin: hostile project trees (a
// symbolic link at any depth of any planned path, forged .yo-rc.json records, read-only and
// immutable files, folders where files go) go through a fresh run, a re-run with --force,
// dockergo:docker and update. The project's parent is snapshotted before and after (every entry,
// mode, byte and link target): nothing outside the project may change, and on refusal nothing
// inside changes either, and the error is one line. Runs as an unprivileged user, so that
// read-only means read-only. A fixed seed and a fresh one; DOCKERGO_SEED=<seed> replays.
import assert from 'node:assert/strict';
import { chmodSync, cpSync, existsSync, lstatSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import fc from 'fast-check';
import { blobId } from '../generators/lib/update/index.js';
import { packedPackage } from './support/packed.js';
import { cleanup, lastingTempDir, snapshot, tempDir } from './support/project.js';
import { seeds } from './support/seeds.js';
import { asNobody, GIT_ENV, NOBODY } from './support/users.js';

const SEEDS = seeds(20261201);

type Scenario = 'fresh' | 'rerun' | 'docker' | 'update';
type Mutation =
  | { kind: 'link'; pick: number; depth: number }
  | { kind: 'forged'; key: string }
  | { kind: 'readonly' | 'immutable' | 'folder'; pick: number };

interface Case {
  scenario: Scenario;
  layout: 'flat' | 'cmd';
  ci: 'none' | 'github';
  config: boolean;
  mutations: Mutation[];
}

const FORGED = ['../outside/victim', 'sub/../../outside/victim', '.git/config', '/ABSOLUTE/victim'];

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('link' as const), pick: fc.nat(), depth: fc.nat() }),
  fc.record({ kind: fc.constant('forged' as const), key: fc.constantFrom(...FORGED) }),
  fc.record({ kind: fc.constantFrom('readonly' as const, 'immutable' as const, 'folder' as const), pick: fc.nat() }),
);

const hostileCase: fc.Arbitrary<Case> = fc.record({
  scenario: fc.constantFrom<Scenario>('fresh', 'rerun', 'docker', 'update'),
  layout: fc.constantFrom('flat' as const, 'cmd' as const),
  ci: fc.constantFrom('none' as const, 'github' as const),
  config: fc.boolean(),
  mutations: fc.array(mutation, { minLength: 1, maxLength: 3 }),
});

/** The paths a run of this case writes (the ones a hostile tree aims at). */
function plannedPaths(c: Case): string[] {
  const container = ['Dockerfile', '.dockerignore', 'build.sh', 'compose.yaml', 'Makefile', '.yo-rc.json', ...(c.ci === 'github' ? ['.github/workflows/ci.yml'] : [])];
  if (c.scenario === 'docker') return container;
  const main = c.layout === 'cmd' ? 'cmd/p/' : '';
  return [...container, 'go.mod', `${main}main.go`, `${main}main_test.go`, 'README.md', '.gitignore', ...(c.config ? ['config/app.yaml'] : [])];
}

function flags(c: Case): string[] {
  return [...(c.scenario === 'docker' ? [] : ['--layout', c.layout, ...(c.config ? ['--config', 'config/app.yaml'] : [])]), '--ci', c.ci];
}

const isLink = (file: string): boolean => existsSync(path.dirname(file)) && (lstatSync(file, { throwIfNoEntry: false })?.isSymbolicLink() ?? false);
const isFile = (file: string): boolean => lstatSync(file, { throwIfNoEntry: false })?.isFile() ?? false;

const MAIN = 'package main\n\nimport "net/http"\n\nfunc main() { _ = http.ListenAndServe(":8080", nil) }\n';

describe('containment property: hostile trees through every kind of run, through the packed bin', function () {
  this.timeout(900_000);
  let bin = '';
  let chattr = false;
  const dirs: string[] = [];
  after(() => dirs.forEach(cleanup));
  before(async () => {
    ({ bin } = await packedPackage());
    const probe = tempDir('chattr-');
    writeFileSync(path.join(probe, 'f'), '');
    chattr = (await execa('chattr', ['+i', path.join(probe, 'f')], { reject: false })).exitCode === 0;
    if (chattr) await execa('chattr', ['-i', path.join(probe, 'f')]);
    cleanup(probe);
    console.log(`      ${SEEDS.line}${chattr ? '' : '; chattr +i unsupported here, immutable files left out'}`);
  });

  /** As the unprivileged user, with a HOME (git, the go cache) that is not watched. */
  // One Go build cache for every case (dockergo:docker compiles its module scanner with `go run`):
  // outside the watched folders, as each case's HOME is, and compiled once rather than once a case.
  let goCache = '';
  before(async () => {
    goCache = tempDir('gocache-');
    dirs.push(goCache);
    await execa('chown', [`${NOBODY}:${NOBODY}`, goCache]);
  });
  const runAsNobody = (home: string, cwd: string, command: string, args: string[], reject = true) => {
    const [setpriv, argv] = asNobody([command, ...args], { HOME: home, GOCACHE: goCache, GOPATH: `${home}/go`, GOFLAGS: '-modcacherw' });
    return execa(setpriv, argv, { cwd, env: GIT_ENV, reject, all: true, stdin: 'ignore' });
  };

  /**
   * The project a case starts from, before its mutations: generated by the bin once for each set of
   * flags that shapes it, then copied (the bin's output for the same flags is the same bytes; the
   * golden test shows it), so that each case runs the bin once, for what it tests.
   */
  const generatedFor = new Map<string, string>();
  async function generated(c: Case): Promise<string> {
    const key = c.scenario === 'docker' ? `docker ${c.ci}` : JSON.stringify(flags(c));
    const known = generatedFor.get(key);
    if (known) return known;
    // Lasting: it serves every seed's test, and the suite removes it.
    const parent = lastingTempDir('generated-');
    dirs.push(parent);
    const home = path.join(parent, 'home');
    const project = path.join(parent, 'p');
    mkdirSync(home);
    mkdirSync(project);
    if (c.scenario === 'docker') {
      writeFileSync(path.join(project, 'go.mod'), 'module example.com/p\n\ngo 1.26\n');
      writeFileSync(path.join(project, 'main.go'), MAIN);
    } else rmSync(project, { recursive: true });
    await execa('chown', ['-R', `${NOBODY}:${NOBODY}`, parent]);
    if (c.scenario === 'docker') await runAsNobody(home, project, bin, ['docker', '--yes', '--ci', c.ci]);
    else await runAsNobody(home, parent, bin, ['--yes', '--skip-install', '--module', 'example.com/a/p', '--go-version', '1.26.8', ...flags(c), 'p']);
    generatedFor.set(key, project);
    return project;
  }

  async function prepare(c: Case, parent: string, home: string): Promise<{ project: string; immutable: string[] }> {
    const project = path.join(parent, 'p');
    const outside = path.join(parent, 'outside');
    mkdirSync(outside);
    writeFileSync(path.join(outside, 'victim'), 'precious\n');
    await execa('chown', ['-R', `${NOBODY}:${NOBODY}`, parent]);
    if (c.scenario === 'fresh') mkdirSync(project);
    else cpSync(await generated(c), project, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true });
    if (c.scenario !== 'fresh') {
      await execa('chown', ['-R', `${NOBODY}:${NOBODY}`, project]);
      for (const step of [['init', '--quiet'], ['add', '-A'], ['commit', '--quiet', '-m', 'made']]) await runAsNobody(home, project, 'git', step);
    }
    await execa('chown', ['-R', `${NOBODY}:${NOBODY}`, parent]);
    const planned = plannedPaths(c);
    const immutable: string[] = [];
    function mutate(m: Mutation): void {
      if (m.kind === 'forged') {
        const file = path.join(project, '.yo-rc.json');
        if (!isFile(file)) return;
        const yoRc = JSON.parse(readFileSync(file, 'utf8'));
        const key = m.key.replace('/ABSOLUTE', outside);
        yoRc['generator-dockergo'].files = { ...yoRc['generator-dockergo'].files, [key]: blobId('precious\n') };
        writeFileSync(file, JSON.stringify(yoRc, null, 2));
        return;
      }
      const target = planned[m.pick % planned.length]!;
      const elements = target.split('/');
      // An earlier mutation may have put a link on the way: this one then has nothing of the project's to change.
      if (elements.slice(0, -1).some((_, i) => isLink(path.join(project, ...elements.slice(0, i + 1))))) return;
      if (m.kind === 'link') {
        const depth = m.depth % elements.length;
        const at = path.join(project, ...elements.slice(0, depth + 1));
        if (!existsSync(path.dirname(at)) || lstatSync(path.dirname(at)).isSymbolicLink()) return;
        const last = depth === elements.length - 1;
        // Whatever was there moves outside, so the link leads to what the run would write over.
        const away = path.join(outside, `moved-${elements.slice(0, depth + 1).join('-')}`);
        if (existsSync(at) && !lstatSync(at).isSymbolicLink()) renameSync(at, away);
        else if (!existsSync(away) && last) writeFileSync(away, 'outside\n');
        else if (!existsSync(away)) mkdirSync(away);
        if (!existsSync(at)) symlinkSync(away, at);
        return;
      }
      const file = path.join(project, target);
      if (!existsSync(file) || !lstatSync(file).isFile()) {
        if (m.kind === 'folder' && existsSync(path.dirname(file)) && !existsSync(file) && !lstatSync(path.dirname(file)).isSymbolicLink()) {
          mkdirSync(file);
          writeFileSync(path.join(file, 'inside'), 'x\n');
        }
        return;
      }
      if (m.kind === 'readonly') chmodSync(file, 0o444);
      if (m.kind === 'folder') {
        rmSync(file);
        mkdirSync(file);
        writeFileSync(path.join(file, 'inside'), 'x\n');
      }
      if (m.kind === 'immutable' && chattr) immutable.push(file);
    }
    for (const m of c.mutations) {
      try {
        mutate(m);
      } catch (error) {
        // A mutation an earlier one made impossible (a folder where it expected a file): the tree is still hostile.
        console.log(`      (mutation ${JSON.stringify(m)} not applied: ${(error as Error).message})`);
      }
    }
    await execa('chown', ['-R', '-h', `${NOBODY}:${NOBODY}`, project]);
    // Last: an immutable file refuses even chown. A later mutation may have put a link there instead.
    const still = immutable.filter((file) => existsSync(file) && lstatSync(file).isFile());
    for (const file of still) await execa('chattr', ['+i', file]);
    return { project, immutable: still };
  }

  function runArgs(c: Case): { cwd: 'parent' | 'project'; args: string[] } {
    if (c.scenario === 'fresh') return { cwd: 'parent', args: ['--yes', '--skip-install', '--module', 'example.com/a/p', '--go-version', '1.26.8', ...flags(c), 'p'] };
    if (c.scenario === 'rerun') return { cwd: 'project', args: ['--yes', '--skip-install', '--force', '--port', '9191', ...flags(c)] };
    if (c.scenario === 'docker') return { cwd: 'project', args: ['docker', '--yes', '--force', '--port', '9191', '--ci', c.ci] };
    return { cwd: 'project', args: ['update', '--port', '9191', ...flags(c)] };
  }

  /** The parent's snapshot split in two: the project, and everything else (the unwatched HOME aside). */
  const split = (parent: string) => {
    const all = snapshot(parent);
    const inside: Record<string, string> = {};
    const outside: Record<string, string> = {};
    for (const [key, value] of Object.entries(all)) {
      if (key === 'home' || key.startsWith(`home${path.sep}`)) continue;
      (key === 'p' || key.startsWith(`p${path.sep}`) ? inside : outside)[key] = value;
    }
    return { inside, outside };
  };

  for (const seed of SEEDS.seeds) {
    it(`nothing outside the project changes, and a refusal is one line and changes nothing (seed ${seed})`, async () => {
      let refusals = 0;
      let runs = 0;
      await fc.assert(
        fc.asyncProperty(hostileCase, async (c) => {
          const parent = tempDir('hostile-');
          chmodSync(parent, 0o755);
          const home = path.join(parent, 'home');
          mkdirSync(home);
          const immutable: string[] = [];
          try {
            const prepared = await prepare(c, parent, home);
            immutable.push(...prepared.immutable);
            const before = split(parent);
            const { cwd, args } = runArgs(c);
            const result = await runAsNobody(home, cwd === 'parent' ? parent : prepared.project, bin, args, false);
            const after = split(parent);
            runs++;
            const stderr = String(result.stderr);
            assert.deepEqual(after.outside, before.outside, `outside the project changed: ${JSON.stringify(c)}\n${String(result.all)}`);
            if (result.exitCode !== 0) {
              refusals++;
              assert.equal(result.exitCode, 1, `${JSON.stringify(c)}\n${String(result.all)}`);
              assert.equal(stderr.split('\n').length, 1, `more than one line: ${JSON.stringify(c)}\n${stderr}`);
              assert.match(stderr, /^generator-dockergo: /);
              assert.deepEqual(after.inside, before.inside, `a refused run changed the project: ${JSON.stringify(c)}\n${stderr}`);
            }
          } finally {
            for (const file of immutable) await execa('chattr', ['-i', file], { reject: false });
            cleanup(parent);
          }
        }),
        { seed, numRuns: 40, endOnFailure: true },
      );
      console.log(`      ${runs} hostile trees, ${refusals} refused in one line, none changed anything outside`);
    });
  }
});
