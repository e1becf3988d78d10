// The run loop dockergo:app and dockergo:docker share. Yeoman queues only the methods of a
// generator's own class, so the methods here are steps that each generator's run-loop methods call;
// the work is in the rooms below (sources.ts, plan/, fresh.ts, update/, write/).
import { existsSync } from 'node:fs';
import path from 'node:path';
import Generator from 'yeoman-generator';
import type { Answers } from '../inputs/index.js';
import { packageVersion, templatesRoot } from '../package.js';
import { planFiles, renderPlan, type DataOptions, type PlannedFile, type TemplateData } from '../plan/index.js';
import type { Preset } from '../presets/index.js';
import { deployTarget } from '../targets/index.js';
import { projectRecord, readYoRc, runUpdate, storeBlobs, versionsOf, type GeneratorName } from '../update/index.js';
import type { CommitEnvironment } from '../write/commit.js';
import { filesBelow } from '../write/contain.js';
import { checkFolder, checkPlan } from '../write/plan.js';
import { commitRun, ungenerated, writeFresh } from './fresh.js';
import { optionValue } from './options.js';
import { dryRunReport, quietUserErrors } from './output.js';
import { loadSources, presetData, resolveAnswers, type Resolve, type Sources } from './sources.js';

export interface WriteOptions {
  /** Which planned files this generator writes (dockergo:docker: never Go sources or module files). */
  keep?: (file: PlannedFile) => boolean;
  /** Keys of the generator's own for the record, and keys left out of it. */
  store?: Record<string, unknown>;
  omit?: readonly string[];
}

export abstract class DockergoGenerator extends Generator {
  protected sources: Sources = { flags: {}, fileAnswers: {}, preset: undefined, interactive: false };
  protected answers!: Answers;
  protected readonly fail: (error: unknown) => never;
  /** The project folder (absolute); created only when the whole plan is good. */
  protected root = '';
  private pendingFolder = false;
  protected abstract readonly generatorName: GeneratorName;
  /** destination → what this run wrote, for the object database. */
  private written = new Map<string, Buffer>();
  /** Notes printed once the run has written its files: a refused run prints its one line alone. */
  private notes: string[] = [];
  /** Files the last run wrote that this one no longer produces, untouched since: removed with the commit. */
  private removals: string[] = [];

  constructor(args: string[], options: Generator['options']) {
    // Yeoman reads .yo-rc.json while constructing: a broken one must be one line, not a stack.
    const opts = options as { destinationRoot?: string; env?: { cwd?: string } };
    readYoRc(opts.destinationRoot ?? opts.env?.cwd ?? process.cwd());
    // Go projects have no package.json: turn off Yeoman's npm install step.
    super(args, options, { customInstallTask: true });
    this.sourceRoot(templatesRoot);
    this.fail = quietUserErrors(this);
    this.root = this.destinationRoot();
  }

  /** Yeoman's commit ends in our writer, not in mem-fs-editor's (see lib/write/commit.ts). */
  override get features(): Generator['features'] {
    return { ...super.features, customCommitTask: () => this.commit() };
  }

  /** Runs one step of the run loop; a user error becomes Yeoman's error without a stack. */
  protected async step(fn: () => unknown): Promise<void> {
    try {
      await fn();
    } catch (error) {
      this.fail(error);
    }
  }

  protected optionValue(name: string): unknown {
    return optionValue(this.options as Record<string, unknown>, name);
  }

  protected get dryRun(): boolean {
    return this.optionValue('dry-run') === true;
  }

  /** `generator-dockergo update`: re-render with the stored answers and merge into the project. */
  protected get updating(): boolean {
    return this.optionValue('update') === true;
  }

  protected get preset(): Preset | undefined {
    return this.sources.preset;
  }

  /** The project goes into `folder`: checked now; an existing one becomes the destination at once. */
  protected setFolder(folder: string): void {
    this.root = checkFolder(folder, 'folder');
    if (existsSync(this.root)) {
      readYoRc(this.root);
      this.destinationRoot(this.root);
    } else {
      this.pendingFolder = true;
    }
  }

  protected target(...parts: string[]): string {
    return path.join(this.root, ...parts);
  }

  protected async loadSources(): Promise<void> {
    this.sources = await loadSources(this.options as Record<string, unknown>);
  }

  protected async resolveAnswers(r: Pick<Resolve, 'ask' | 'facts' | 'defaults'> = {}): Promise<void> {
    const settled = await resolveAnswers({ ...r, generator: this, name: this.generatorName, root: this.root, stored: this.stored(), sources: this.sources });
    this.answers = settled.answers;
    this.sources.preset = settled.preset;
  }

  /** What .yo-rc.json holds for this generator ({} before the project folder exists). */
  protected stored(): Record<string, unknown> {
    return this.pendingFolder ? {} : (this.config.getAll() as Record<string, unknown>);
  }

  /** What the preset gives the template data. */
  protected presetData(): Pick<DataOptions, 'images' | 'labels' | 'kubernetes' | 'overlays' | 'caBundle'> {
    return presetData(this.preset);
  }

  /**
   * Plans, checks, then writes: the plan (with the preset's overlays) is checked as a whole (paths,
   * clashes, the disk) before the folder is created or a file is rendered; then `update` merges it,
   * or a fresh run queues it for Yeoman's commit (never on --dry-run).
   */
  protected writePlan(plan: PlannedFile[], data: TemplateData, { keep = () => true, store = {}, omit = [] }: WriteOptions = {}): void {
    const p = this.preset;
    const overlay = p ? { dir: path.join(p.dir, 'templates'), files: p.overlays, builtin: new Set(filesBelow(templatesRoot)) } : undefined;
    const files = planFiles(plan, data, overlay, keep);
    checkPlan(this.root, [...files, { destination: '.yo-rc.json' }]);
    deployTarget(data.deploy)?.refuseChange?.({ storedKind: this.stored()['kind'], kind: data.kind, exists: (d) => existsSync(this.target(d)) });
    const rendered = renderPlan(files, data, templatesRoot, { named: p?.dir ?? templatesRoot, exists: (d) => existsSync(this.target(d)) });
    const stored = this.stored();
    const record = (written: ReadonlyMap<string, Buffer>) =>
      projectRecord({ answers: this.answers, stored, extra: store, omit, preset: p, root: this.root, generator: this.generatorName, version: packageVersion }, written);
    // The record may name only files this generator writes: the same filter as the plan's.
    const writes = (destination: string) => keep({ template: '', destination });
    if (this.updating) {
      const versions = versionsOf(stored, packageVersion, p);
      return runUpdate({ root: this.root, rendered, stored, writes, record, key: this.rootGeneratorName(), versions, dryRun: this.dryRun, log: (l) => this.log(l) });
    }
    const clashesAllowed = this.sources.interactive || this.optionValue('force') === true || this.dryRun;
    if (stored['generator'] === this.generatorName) {
      this.removals = ungenerated(this.root, stored, new Set(files.map((f) => f.destination)), writes, (t) => this.notice(t));
    }
    this.written = writeFresh({ generator: this, root: this.root, rendered, clashesAllowed, record });
  }

  /** Yeoman's commit step: its pipeline decides (the conflicter asks), the one writer writes, all or nothing. */
  private async commit(): Promise<void> {
    await this.step(async () => {
      const wrote = await commitRun(this.env as unknown as CommitEnvironment, this.root, this.removals, this.dryRun, (l) => this.log(l));
      if (wrote && this.pendingFolder) {
        this.destinationRoot(this.root);
        this.pendingFolder = false;
      }
    });
  }

  /** Puts what this run wrote into the repository's object database, so `update` finds its merge base. */
  protected storeWritten(): void {
    // --skip-install promises that neither git nor go runs; the blobs then come from the first commit.
    if (this.dryRun || this.updating || this.optionValue('skip-install') === true) return;
    storeBlobs(this.root, [...this.written.values()]);
  }

  /** A note (say, "no HEALTHCHECK: …"), printed by end() when the run got that far. */
  protected notice(text: string): void {
    this.notes.push(text);
  }

  /** Prints the notes, and after a dry run what was not done: the first thing each generator's end() does. */
  protected printNotices(): void {
    for (const text of this.notes.splice(0)) this.log.info(text);
    if (this.dryRun && !this.updating) this.log(dryRunReport(this.preset?.spec, this.preset?.overlays.length ?? 0));
  }

}
