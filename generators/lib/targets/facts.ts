// What a deploy target is, and what it knows of the project. A target depends on the inputs and
// the rules alone: the plan (plan/) calls it, never the other way round.
import type { Answers, Deploy, Kind } from '../inputs/index.js';
import type { PlannedFile } from '../write/plan.js';
import type { KubernetesData, KubernetesPreset } from './workload.js';

/** What the plan settled before the targets run. */
export interface TargetFacts {
  answers: Answers;
  /** An existing module's program (dockergo:docker): its probes are TCP, its arguments its own. */
  existing: boolean;
  /** The config files, as project paths. */
  configPaths: readonly string[];
  /** The default arguments, as words. */
  args: readonly string[];
  /** Extra labels (a preset's). */
  labels: Readonly<Record<string, string>>;
  /** A preset's overlay templates, relative to its templates/ folder. */
  overlays: readonly string[];
  /** A preset's "kubernetes" section. */
  cluster: KubernetesPreset;
}

/** What a target's files and hints see of the template data. */
export interface TargetView {
  isService: boolean;
  kind: Kind;
  kubernetes: KubernetesData;
}

export type TargetName = Exclude<Deploy, 'none'>;

/** The parts a target's folder holds (templates/deploy/<name>/parts/<part>.ejs), which the shared templates include. */
export const TARGET_PARTS = ['build-vars', 'build-usage', 'build-env', 'build-functions', 'makefile', 'readme'] as const;

/**
 * A deploy target: a row of the table in targets/index.ts, and a folder of its own here and under
 * templates/deploy/. Its build.sh, Makefile and README parts are templates/deploy/<name>/parts/
 * build-vars.ejs, build-usage.ejs, build-env.ejs, build-functions.ejs, makefile.ejs and readme.ejs:
 * the shared templates include them when --deploy names the target.
 */
export interface DeployTarget<D = undefined> {
  /** The --deploy choice. */
  name: TargetName;
  /** Where its files go in the project, and its templates sit below templates/. */
  dir: string;
  /** build.sh's commands it adds (each a cmd_<name> function of its build-functions part). */
  commands: readonly string[];
  /** Its own template data, at TemplateData[name]; the shared workload is TemplateData.kubernetes. */
  data?: (facts: TargetFacts, workload: KubernetesData) => D;
  /** Its files. */
  files: (view: TargetView & Record<string, unknown>) => PlannedFile[];
  /** Files that are the user's once written (never rewritten, not even by update). */
  ownedByUser: (destination: string) => boolean;
  /**
   * Refuses a change of answers (a re-run or an update) that would leave the user's files
   * inconsistent: one line that says how to make the change.
   */
  refuseChange?: (change: { storedKind: unknown; kind: Kind; exists: (destination: string) => boolean }) => void;
  /** The closing hint: how to deploy. */
  hint: (view: TargetView) => string;
  /** Where a preset's new file below the target's templates goes (else: its path without ".ejs"). */
  overlayDestination?: (overlay: string, view: TargetView) => string;
}

export type { PlannedFile };
