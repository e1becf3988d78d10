// Fleet: a platform team's services, checked or updated in one run. REPOS is read and each line checked
// alone (repos.ts); each repository is cloned into a private folder and updated in this process as
// `update` would, committed on a branch and pushed (repo.ts), with git run safely (git.ts); a bounded
// pool of jobs runs them; the report is a table, JSON and an exit status (report.ts). The top room: it
// calls run/ (the headless update), update/, rules/ and write/.
import { readAllStdin } from '../inputs/index.js';
import { packageVersion } from '../package.js';
import { removeScratch, scratchFolder } from '../write/scratch.js';
import { FLEET_HELP, parseFleetArgs } from './args.js';
import { fleetGitEnvironment, Git } from './git.js';
import { runRepo, type RepoReport } from './repo.js';
import { fleetExit, progress, reportSummary, reportTable, writeReport } from './report.js';
import { parseRepos, readRepos, shardOf } from './repos.js';

/** `generator-dockergo fleet REPOS [options]`: the exit status. */
export async function runFleet(argv: readonly string[]): Promise<number> {
  const args = parseFleetArgs(argv);
  if (args.help) {
    console.log(FLEET_HELP);
    return 0;
  }
  const { text, base } = await readRepos(args.repos, () => readAllStdin());
  const entries = shardOf(parseRepos(text, base), args.shard);
  // This process's git, the in-process update's included: no prompt, only https, ssh and file.
  Object.assign(process.env, fleetGitEnvironment());
  const work = scratchFolder('dockergo-fleet-');
  const reports: RepoReport[] = new Array<RepoReport>(entries.length);
  const tty = process.stderr.isTTY === true;
  try {
    const git = new Git(work);
    const run = { git, work, check: args.check, branch: args.branch, pushOptions: args.pushOptions, update: args.update };
    let next = 0;
    let done = 0;
    const worker = async () => {
      for (let i = next++; i < entries.length; i = next++) {
        reports[i] = await runRepo(entries[i]!, run, i);
        done++;
        if (tty) process.stderr.write(progress(done, entries.length, reports[i]));
      }
    };
    await Promise.all(Array.from({ length: Math.min(args.jobs, Math.max(1, entries.length)) }, worker));
    if (tty) process.stderr.write('\r\x1b[2K');
  } finally {
    removeScratch(work);
  }
  console.log(reportTable(reports));
  console.log(reportSummary(reports));
  if (args.report) {
    const shard = args.shard ? `${args.shard.index}/${args.shard.count}` : null;
    writeReport(args.report, { generator: packageVersion, check: args.check, branch: args.branch, shard, repositories: reports });
  }
  return fleetExit(reports);
}
