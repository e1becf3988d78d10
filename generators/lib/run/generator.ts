// The run loop dockergo:app and dockergo:docker share. Yeoman queues only the methods of a
// generator's own class, so the methods here are steps that each generator's run-loop methods call;
// the work is in the rooms below (sources.ts, plan/, fresh.ts, update/, write/).
import { existsSync } from 'node:fs';
import path from 'node:path';
import Generator from 'yeoman-generator';
import type { Answers } from '../inputs/index.js';
import { templatesRoot } from '../package.js';
import type { PlannedFile, TemplateData } from '../plan/index.js';
import type { Preset } from '../presets/index.js';
import { readYoRc, storeBlobs, type GeneratorName } from '../update/index.js';
import { checkFolder } from '../write/plan.js';
import { commitRun } from './fresh.js';
import { checkProject, freshProject, prepareProject, updateProject, type WriteOptions } from './project.js';
import { optionValue } from './options.js';
import { dryRunReport, quietUserErrors } from './output.js';
import { loadSources, resolveAnswers, type Resolve, type Sources } from './sources.js';

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
    return optionValue(this.options, name);
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
    this.sources = await loadSources(this.options);
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

  /**
   * Plans, checks, then writes (project.ts): `update` merges the plan into the project, a fresh run
   * queues it for Yeoman's commit (never on --dry-run).
   */
  protected writePlan(plan: PlannedFile[], data: TemplateData, options: WriteOptions = {}): void {
    const { answers, preset, root, generatorName, dryRun } = this;
    const run = { answers, preset, root, stored: this.stored(), generatorName, dryRun, log: (line: string) => this.log(line) };
    const prepared = prepareProject(run, plan, data, options);
    if (this.updating && this.optionValue('check') === true) return void checkProject(run, prepared, this.optionValue('json') === true);
    if (this.updating) return void updateProject(run, prepared, this.rootGeneratorName());
    const clashesAllowed = this.sources.interactive || this.optionValue('force') === true || dryRun;
    const fresh = freshProject({ ...run, generator: this, clashesAllowed, notice: (t: string) => this.notice(t) }, prepared);
    [this.written, this.removals] = [fresh.written, fresh.removals];
  }

  /** Yeoman's commit step: its pipeline decides (the conflicter asks), the one writer writes, all or nothing. */
  private async commit(): Promise<void> {
    await this.step(async () => {
      const wrote = await commitRun(this.env, this.root, this.removals, this.dryRun, (l) => this.log(l));
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
