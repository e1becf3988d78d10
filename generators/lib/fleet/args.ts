// `fleet`'s command line: its own flags, and every flag `update` takes (applied to each repository),
// each checked by its rule before anything is cloned.
import os from 'node:os';
import { parseArgs } from 'node:util';
import { InputError, UsageError } from '../errors.js';
import { INPUTS, SWITCHES, type InputSpec } from '../inputs/index.js';
import { checkBranch, checkJobs, checkPushOption, checkShard, type Checked } from '../rules/index.js';

export const FLEET_HELP = `Usage: generator-dockergo fleet REPOS [options]

Checks or updates every project a REPOS file lists (one a line: a git URL, https, ssh or file, or a local
path; blank lines and # comments are skipped; - reads stdin). Each repository's default branch is cloned
into a private folder, updated as \`generator-dockergo update\` would, committed on a branch and pushed.
The default branch is never written; a local path gets the branch, without a push.

Options:
  --check               clone and check only: push nothing; exit 2 when any repository is behind
  --jobs N              repositories at once (default: the number of cores)
  --branch NAME         the branch of the update (default: dockergo/update)
  --push-option VALUE   passed to git push -o, repeatable (GitLab: merge_request.create)
  --shard K/N           only this run's fixed share K of N of the list, for a CI matrix
  --report FILE         the report as JSON (docs/fleet.md)
  any flag of generator-dockergo update (--preset PRESET, --port 9090 ...), for every repository

Exit status: 1 when any repository had an error, else 3 when any had conflicts, else 2 for --check when
any is behind, else 0. A failure in one repository never stops the others.`;

export interface FleetArgs {
  repos: string;
  check: boolean;
  jobs: number;
  branch: string;
  pushOptions: string[];
  shard: { index: number; count: number } | undefined;
  report: string | undefined;
  /** The update flags, keyed by flag name as the generators' options are. */
  update: Record<string, unknown>;
  help: boolean;
}

type OptionSpec = { type: 'string' | 'boolean'; multiple?: boolean; short?: string };

function optionSpecs(): Record<string, OptionSpec> {
  const specs: Record<string, OptionSpec> = {
    check: { type: 'boolean' },
    jobs: { type: 'string' },
    branch: { type: 'string' },
    'push-option': { type: 'string', multiple: true },
    shard: { type: 'string' },
    report: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  };
  for (const input of INPUTS as readonly InputSpec[]) specs[input.flag] = input.boolean ? { type: 'boolean' } : { type: 'string', ...(input.list ? { multiple: true } : {}) };
  for (const s of SWITCHES.filter((sw) => sw.flag === 'preset' || sw.flag === 'answers')) specs[s.flag] = { type: 'string' };
  return specs;
}

const FLEET_FLAGS = new Set(['check', 'jobs', 'branch', 'push-option', 'shard', 'report', 'help']);

function take<T>(flag: string, value: string, checked: Checked<T>): T {
  if (!checked.ok) throw new InputError(`--${flag}`, value, checked);
  return checked.value;
}

export function parseFleetArgs(argv: readonly string[]): FleetArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: optionSpecs(), allowPositionals: true, allowNegative: true, strict: true });
  } catch (error) {
    throw new UsageError(`fleet: ${(error as Error).message.split('\n')[0]!.replace(/\. To specify.*$/, '')}: see generator-dockergo fleet --help`);
  }
  const { values, positionals } = parsed;
  const text = (key: string) => (typeof values[key] === 'string' ? values[key] : undefined);
  if (values['help'] === true) return { repos: '', check: false, jobs: 1, branch: '', pushOptions: [], shard: undefined, report: undefined, update: {}, help: true };
  if (positionals.length !== 1) {
    throw new UsageError(`fleet: ${positionals.length === 0 ? 'no REPOS file' : `one REPOS file, not ${positionals.length} (${positionals.slice(1).join(' ')})`}: generator-dockergo fleet REPOS [options] (- reads stdin)`);
  }
  const jobs = text('jobs');
  const branch = text('branch') ?? 'dockergo/update';
  const shard = text('shard');
  const pushOptions = ((values['push-option'] as string[] | undefined) ?? []).map((o) => take('push-option', o, checkPushOption(o)));
  const update: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) if (!FLEET_FLAGS.has(key)) update[key] = value;
  return {
    repos: positionals[0]!,
    check: values['check'] === true,
    jobs: jobs === undefined ? Math.min(64, os.availableParallelism()) : take('jobs', jobs, checkJobs(jobs)),
    branch: take('branch', branch, checkBranch(branch)),
    pushOptions,
    shard: shard === undefined ? undefined : take('shard', shard, checkShard(shard)),
    report: text('report'),
    update,
    help: false,
  };
}
