// Targets: where a service is deployed (--deploy). Each target is one row of TARGETS and one folder
// (here, and its templates under templates/deploy/<name>/): its files, its own template data, its
// build.sh, Makefile and README parts, the files that are the user's, and the changes it refuses.
// All of them render the same workload (workload.ts: TemplateData.kubernetes), which a preset's
// "kubernetes" section sets defaults for. The plan (plan/) walks this table; nothing here knows the
// plan, Yeoman or the disk.
import type { Deploy } from '../inputs/index.js';
import type { DeployTarget, TargetName, TargetView } from './facts.js';
import { helm } from './helm/index.js';
import { kustomize } from './kubernetes/index.js';

export * from './facts.js';
export * from './workload.js';

/** Every --deploy choice but "none", in the order --help lists them. */
export const TARGETS = [kustomize, helm] as const satisfies readonly DeployTarget<unknown>[];

// Each --deploy choice has its row: a choice added to the input table without one fails to compile.
const BY_NAME = Object.fromEntries(TARGETS.map((t) => [t.name, t])) as Readonly<Record<TargetName, DeployTarget<unknown>>>;

/** The target --deploy names, or undefined for "none". */
export function deployTarget(deploy: Deploy): DeployTarget<unknown> | undefined {
  return deploy === 'none' ? undefined : BY_NAME[deploy];
}

/** The template data the targets add, each under its own name (a row without `data` adds none). */
export type TargetData = {
  [T in (typeof TARGETS)[number] as T extends { data: (...args: never[]) => unknown } ? T['name'] : never]: T extends { data: (...args: never[]) => infer D } ? D : never;
};

/** Whether a destination belongs to a target other than `deploy` (a preset's extra manifests come only with their target). */
export function otherTargetsFile(destination: string, deploy: Deploy): boolean {
  return TARGETS.some((t) => t.name !== deploy && destination.startsWith(`${t.dir}/`));
}

/** Where a preset's new file goes: its target's place for it, else its path without ".ejs". */
export function overlayDestination(overlay: string, view: TargetView): string {
  const target = TARGETS.find((t) => overlay.startsWith(`${t.dir}/`));
  return target && 'overlayDestination' in target && target.overlayDestination ? target.overlayDestination(overlay, view) : overlay.replace(/\.ejs$/, '');
}

/** Whether a destination is the user's once written, in any target's folder. */
export function ownedByUser(destination: string): boolean {
  return TARGETS.some((t) => t.ownedByUser(destination));
}

/** The closing hint for the deploy target (none for "none"). */
export function deployHints(deploy: Deploy, view: TargetView): string[] {
  const target = deployTarget(deploy);
  return target ? [target.hint(view)] : [];
}
