// The fleet's measurements, on the local git server (nginx, git http-backend, HTTPS, basic auth):
// `fleet --check` of a fleet beside a shell loop of `git clone --depth 1` plus `update --check` for
// each repository (alternating, side by side); the time per repository and the peak resident memory
// of fleet at each fleet size; and `fleet` (update, commit, push) of every repository, behind. The
// repositories are copies of one generated service made with preset v1; fleet runs with v2.
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { FLEET_PRESET, publishProject, writeFleetPreset } from '../support/fleet.js';
import { startGitServer } from '../support/git-server.js';
import type { BenchOptions } from './measure.js';

export interface FleetResults {
  /** The fleet sizes, smallest first; the comparison with the loop runs at the middle one. */
  sizes: number[];
  /** fleet on an empty list: the process's start, milliseconds (median). */
  startMs: number;
  /** `fleet --check`: milliseconds per repository at each size beyond the start (the median of the runs). */
  perRepo: number[];
  /** Peak resident memory of the fleet process at each size, in KiB. */
  peakKiB: number[];
  /** At the comparison size: fleet --check and the loop, milliseconds (medians). */
  fleetMs: number;
  loopMs: number;
  /** fleet (update and push) of every repository at the comparison size: milliseconds per repository. */
  updatePerRepo: number;
  /** fleet's default --jobs, which it ran with: the cores, at most 64. */
  jobs: number;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function fleetBench(o: BenchOptions, bin: string, log = console.log): Promise<FleetResults> {
  const sizes = o.smoke ? [2, 4, 6] : [10, 100, 300];
  const compare = sizes[1]!;
  const root = path.join(o.root, 'fleet');
  const server = await startGitServer(path.join(root, 'server'));
  try {
    const home = path.join(root, 'home');
    const modules = path.join(root, 'presets/node_modules');
    mkdirSync(home, { recursive: true });
    writeFileSync(path.join(home, '.netrc'), `machine 127.0.0.1 login ${server.user} password ${server.password}\n`, { mode: 0o600 });
    const env = { HOME: home, GIT_SSL_CAINFO: server.caFile, NODE_PATH: modules, GIT_CONFIG_NOSYSTEM: '1' };
    writeFleetPreset(modules, 1);
    const made = await execa(bin, ['--yes', '--skip-install', '--module', 'example.com/acme/svc', '--go-version', '1.26.8', '--preset', FLEET_PRESET, 'svc'], { cwd: root, env, all: true, reject: false });
    if (made.exitCode !== 0) throw new Error(`fleet bench: the service: ${String(made.all)}`);
    await publishProject(server, 'svc-0', path.join(root, 'svc'), env);
    for (let i = 1; i < sizes.at(-1)!; i++) cpSync(path.join(server.repos, 'svc-0.git'), path.join(server.repos, `svc-${i}.git`), { recursive: true });
    writeFleetPreset(modules, 2);
    const list = (n: number) => {
      const file = path.join(root, `repos-${n}.txt`);
      writeFileSync(file, Array.from({ length: n }, (_, i) => `${server.url}svc-${i}.git\n`).join(''));
      return file;
    };
    /** fleet with ARGS: milliseconds and peak KiB (GNU time's %M: the largest resident set among the processes it waited for, fleet's own node). */
    const fleet = async (args: string[], expect: number) => {
      const start = process.hrtime.bigint();
      const ran = await execa('/usr/bin/time', ['-f', 'peak-kib %M', bin, 'fleet', ...args], { cwd: root, env, all: true, reject: false });
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (ran.exitCode !== expect) throw new Error(`fleet ${args.join(' ')}: exit ${ran.exitCode}, not ${expect}: ${String(ran.all).slice(-2000)}`);
      return { ms, kib: Number(/peak-kib (\d+)/.exec(String(ran.stderr))?.[1]) };
    };
    const loop = async (n: number) => {
      const script = `while read -r url; do d=$(mktemp -d -p "$WORK"); git clone --quiet --depth 1 "$url" "$d/r" && { "$BIN" update --check --preset "$PRESET" "$d/r" >/dev/null; [ $? = 2 ]; } || exit 1; rm -rf "$d"; done < "$1"`;
      const start = process.hrtime.bigint();
      await execa('bash', ['-c', script, 'loop', list(n)], { cwd: root, env: { ...env, BIN: bin, PRESET: FLEET_PRESET, WORK: root } });
      return Number(process.hrtime.bigint() - start) / 1e6;
    };
    const runs = Math.max(1, o.runs);
    // The process's start (Node, yeoman-environment, git's environment): fleet on an empty list. A
    // repository's time is what each adds beyond it, so that the sizes compare the work that scales.
    const empty = path.join(root, 'repos-0.txt');
    writeFileSync(empty, '# none\n');
    const starts: number[] = [];
    for (let r = 0; r < Math.max(3, runs); r++) starts.push((await fleet([empty, '--check'], 0)).ms);
    const startMs = median(starts);
    const perRepo: number[] = [];
    const peakKiB: number[] = [];
    let fleetMs = 0;
    let loopMs = 0;
    for (const n of sizes) {
      const times: number[] = [];
      const loops: number[] = [];
      let peak = 0;
      for (let r = 0; r < runs; r++) {
        const f = await fleet([list(n), '--check', '--preset', FLEET_PRESET], 2);
        times.push(f.ms);
        peak = Math.max(peak, f.kib);
        if (n === compare) loops.push(await loop(n));
      }
      perRepo.push(Math.max(1, median(times) - startMs) / n);
      peakKiB.push(peak);
      if (n === compare) [fleetMs, loopMs] = [median(times), median(loops)];
      log(`fleet --check of ${n}: ${perRepo.at(-1)!.toFixed(0)} ms a repository beyond the start, peak ${(peak / 1024).toFixed(0)} MiB${n === compare ? `; the loop: ${(median(loops) / n).toFixed(0)} ms a repository` : ''}`);
    }
    const updates: number[] = [];
    for (let r = 0; r < runs; r++) {
      for (let i = 0; i < compare; i++) await execa('git', ['update-ref', '-d', 'refs/heads/dockergo/update'], { cwd: path.join(server.repos, `svc-${i}.git`) });
      updates.push((await fleet([list(compare), '--preset', FLEET_PRESET], 0)).ms / compare);
    }
    log(`fleet (update and push) of ${compare}: ${median(updates).toFixed(0)} ms a repository`);
    return { sizes, startMs, perRepo, peakKiB, fleetMs, loopMs, updatePerRepo: median(updates), jobs: Math.min(64, availableParallelism()) };
  } finally {
    await server.stop();
  }
}
