// What dockergo:app and dockergo:docker share: where answers come from (flags, an answers
// file, .yo-rc.json, prompts, a preset's defaults and locks), and how planned files are
// written. Yeoman queues only the methods of a generator's own class, so the methods here
// are helpers that the run-loop methods of each generator call.
import { constants, existsSync, readFileSync, type Stats } from 'node:fs';
import path from 'node:path';
import Generator from 'yeoman-generator';
import { checkInputs, completeAnswers, readAllStdin, readAnswersFile, toRaw, type RawInputs } from './answers.js';
import { UsageError } from './errors.js';
import { filesBelow, KUBERNETES_DIR, withOverlays, type PlannedFile } from './files.js';
import { pathRule } from './write/contain.js';
import { checkFolder, checkPlan } from './write/plan.js';
import { blobId, readBlob, storeBlobs } from './record.js';
import { renderFile } from './render.js';
import { planUpdate, type RenderedFile } from './update-plan.js';
import { checkRecord, readProjectFile, refuseUncommitted, updateDiffs, updateReport, updateTree, type Versions } from './update-writer.js';
import { decideCommit, type CommitEnvironment } from './write/commit.js';
import { checkTree, writeTree } from './write/tree.js';
import { CONFLICT_EXIT, readYoRc, type GeneratorName } from './update.js';
import {
  askQuestions,
  flagValues,
  isInteractive,
  localGoVersion,
  optionValue,
  packageRoot,
  packageVersion,
  quietUserErrors,
  templatesRoot,
} from './generator-support.js';
import { INPUTS, type Answers, type DefaultContext, type InputName, type InputSpec } from './inputs.js';
import { checkStoredPreset, loadPreset, type Preset } from './preset.js';
import type { DataOptions, TemplateData } from './template-data.js';

export abstract class DockergoGenerator extends Generator {
  protected flags: Partial<Answers> = {};
  protected fileAnswers: Partial<Answers> = {};
  protected preset: Preset | undefined;
  protected answers!: Answers;
  protected interactive = false;
  protected readonly fail: (error: unknown) => never;
  /** The project folder (absolute). */
  protected root = '';
  /** The project folder does not exist yet: it is created only when the whole plan is good. */
  private pendingFolder = false;
  /** Which generator this is, as .yo-rc.json records it for `update`. */
  protected abstract readonly generatorName: GeneratorName;
  /** destination → what this run wrote, for the record and the object database. */
  private written = new Map<string, Buffer>();
  /** Notes for the user, printed once the run has written its files: a refused run prints its one line alone. */
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

  protected get dryRun(): boolean {
    return this.optionValue('dry-run') === true;
  }

  /** `generator-dockergo update`: re-render with the stored answers and merge into the project. */
  protected get updating(): boolean {
    return this.optionValue('update') === true;
  }

  /**
   * The project goes into `folder`: checked now, created only when the plan is good (never on a
   * dry run). An existing folder becomes the destination at once, so its .yo-rc.json is read.
   */
  protected setFolder(folder: string): void {
    this.root = checkFolder(folder, 'folder');
    if (existsSync(this.root)) {
      readYoRc(this.root);
      this.destinationRoot(this.root);
    } else {
      this.pendingFolder = true;
    }
  }

  /** A path in the project. */
  protected target(...parts: string[]): string {
    return path.join(this.root, ...parts);
  }

  protected optionValue(name: string): unknown {
    return optionValue(this.options as Record<string, unknown>, name);
  }

  /**
   * Flags, the answers file and a preset named by flag or DOCKERGO_PRESET: all checked
   * before anything is written (the target folder included).
   */
  protected async loadSources(): Promise<void> {
    this.flags = checkInputs(flagValues(this.options as Record<string, unknown>), (spec) => `--${spec.flag}`);
    const answersFile = this.optionValue('answers');
    if (typeof answersFile === 'string' && answersFile !== '') {
      this.fileAnswers = await readAnswersFile(answersFile, process.cwd(), () => readAllStdin());
    }
    const flag = this.optionValue('preset');
    const env = process.env['DOCKERGO_PRESET'];
    if (typeof flag === 'string' && flag !== '') this.preset = await loadPreset(flag, process.cwd(), packageRoot, '--preset');
    else if (env) this.preset = await loadPreset(env, process.cwd(), packageRoot, 'DOCKERGO_PRESET');
    this.checkLocks();
    this.interactive = isInteractive(this.options as Record<string, unknown>);
  }

  /** A flag or an answer that contradicts a preset's lock is an error naming the preset. */
  private checkLocks(): void {
    if (!this.preset) return;
    const sources: [Partial<Answers>, (s: InputSpec) => string][] = [
      [this.flags, (s) => `--${s.flag}`],
      [this.fileAnswers, (s) => `answers file: ${s.key}`],
    ];
    for (const spec of INPUTS as readonly InputSpec[]) {
      const locked = this.preset.locked[spec.key];
      if (locked === undefined) continue;
      for (const [given, where] of sources) {
        const value = given[spec.key];
        if (value !== undefined && comparable(value) !== comparable(locked)) {
          const text = spec.toText as (v: unknown) => string;
          throw new UsageError(
            `${where(spec)}: ${JSON.stringify(text(value))} contradicts preset ${this.preset.spec} (${this.preset.file}), which locks ${spec.key} to ${JSON.stringify(text(locked))}`,
          );
        }
      }
    }
  }

  /**
   * Settles every answer, in precedence order: flags > answers file > .yo-rc.json > prompts
   * > preset defaults > built-in defaults, with preset locks over all. `ask` limits which
   * inputs may be asked; `facts` (read from an existing module) override what was given;
   * `defaults` come under a preset's.
   */
  protected async resolveAnswers(
    { ask = () => true, facts = {}, defaults = {} }: { ask?: (key: InputName) => boolean; facts?: Partial<Answers>; defaults?: Partial<Answers> } = {},
  ): Promise<void> {
    const storedRaw = this.stored() as RawInputs & { preset?: string };
    if (!this.preset && typeof storedRaw.preset === 'string') {
      this.preset = await loadPreset(storedRaw.preset, this.root, packageRoot, '.yo-rc.json preset');
      checkStoredPreset(this.preset, this.root);
    }
    const locked = this.preset?.locked ?? {};
    const given: Partial<Answers> = { ...this.fileAnswers, ...this.flags, ...facts, ...locked };
    // A stored value that a flag (or a fact, or a lock) replaces is not checked: it is not used.
    const storedUsed = Object.fromEntries(Object.entries(storedRaw).filter(([key]) => given[key as InputName] === undefined)) as RawInputs;
    const stored = checkInputs(storedUsed, (spec) => `.yo-rc.json ${spec.key}`);
    const known: Partial<Answers> = { ...stored, ...given };
    const ctx = defaultContext(this.root, { ...defaults, ...known });
    const presetDefaults = { ...defaults, ...this.preset?.defaults };
    // An input asked only by one generator (promptIn) is a flag alone in the other.
    const promptIn = (key: InputName) => (INPUTS as readonly InputSpec[]).find((i) => i.key === key)?.promptIn ?? this.generatorName;
    const askable = (key: InputName) => ask(key) && locked[key] === undefined && promptIn(key) === this.generatorName;
    const asked = this.interactive
      ? await askQuestions(this, known, ctx, this.optionValue('askAnswered') === true, presetDefaults, askable)
      : {};
    // Answers are checked again: a scripted prompt (or a test's) never runs `validate`.
    const checked = checkInputs(asked, (spec) => `answer to "${spec.prompt ?? spec.key}"`);
    this.answers = completeAnswers({ ...known, ...checked }, ctx, presetDefaults);
  }

  /** What .yo-rc.json holds for this generator ({} before the project folder exists). */
  protected stored(): Record<string, unknown> {
    return this.pendingFolder ? {} : (this.config.getAll() as Record<string, unknown>);
  }

  /**
   * The answers, and the preset (a path relative to the project), as .yo-rc.json will hold
   * them: written with the other files, never before the plan is checked.
   */
  private record(extra: Record<string, unknown>, omit: readonly string[], files: ReadonlyMap<string, Buffer>): Record<string, unknown> {
    // A fixed key order (answers, other stored keys, preset, the generator's own record), so that a
    // re-run with the same answers writes the same .yo-rc.json.
    const own = new Set(['preset', 'presetVersion', 'generator', 'generatorVersion', 'files']);
    const record: Record<string, unknown> = { ...toRaw(this.answers) };
    for (const [key, value] of Object.entries(this.stored())) if (!(key in record) && !own.has(key)) record[key] = value;
    Object.assign(record, extra);
    if (this.preset) {
      const isPath = existsSync(path.resolve(process.cwd(), this.preset.spec));
      record['preset'] = isPath ? path.relative(this.root, this.preset.dir) || '.' : this.preset.spec;
      if (this.preset.version) record['presetVersion'] = this.preset.version;
    }
    for (const key of omit) delete record[key];
    record['generator'] = this.generatorName;
    record['generatorVersion'] = packageVersion;
    // Each written file's git blob id: `update`'s merge base (see the README, "Keeping services up to date").
    record['files'] = Object.fromEntries([...files].sort(([a], [b]) => a.localeCompare(b)).map(([file, bytes]) => [file, blobId(bytes)]));
    return record;
  }

  /** Puts what this run wrote into the repository's object database, so `update` finds its merge base. */
  protected storeWritten(): void {
    // --skip-install promises that neither git nor go runs; the blobs then come from the first commit.
    if (this.dryRun || this.updating || this.optionValue('skip-install') === true) return;
    storeBlobs(this.root, [...this.written.values()]);
  }

  /** What the preset gives the template data: images, labels, Kubernetes defaults and its overlay files. */
  protected presetData(): Pick<DataOptions, 'images' | 'labels' | 'kubernetes' | 'overlays' | 'caBundle'> {
    if (!this.preset) return {};
    return { images: this.preset.images, labels: this.preset.labels, kubernetes: this.preset.kubernetes, overlays: this.preset.overlays, ...(this.preset.caBundle ? { caBundle: this.preset.caBundle } : {}) };
  }

  /** The `--preset …` words for an equivalent command. */
  protected presetWords(): string[] {
    return this.preset ? ['--preset', this.preset.spec] : [];
  }

  /**
   * Plans, checks, then writes: the plan (with the preset's overlays) is checked as a whole
   * (paths, clashes, the disk) before the folder is created or a file is rendered. Files go into
   * Yeoman's in-memory file system, which reaches the disk only when every step has passed (and
   * never on --dry-run). Without prompts, a file that exists with other content is an error
   * unless --force: Yeoman would otherwise stop at a conflict question nobody can answer.
   */
  protected writePlan(
    plan: PlannedFile[],
    data: TemplateData,
    { keep = () => true, store = {}, omit = [] }: { keep?: (file: PlannedFile) => boolean; store?: Record<string, unknown>; omit?: readonly string[] } = {},
  ): void {
    const files = (
      this.preset ? withOverlays(plan, path.join(this.preset.dir, 'templates'), this.preset.overlays, new Set(filesBelow(templatesRoot))) : plan
    )
      // A preset's extra manifests come only with the manifests they extend.
      .filter((f) => data.deploy === 'kubernetes' || !f.destination.startsWith(`${KUBERNETES_DIR}/`))
      .filter(keep);
    checkPlan(this.root, [...files, { destination: '.yo-rc.json' }]);
    refuseKindChange(this.stored()['kind'], data, existsSync(this.target(KUBERNETES_DIR, 'overlays')));
    // The record may name only files this generator writes: the same filter as the plan's.
    if (this.updating) return this.update(files, data, store, omit, (destination) => keep({ template: '', destination }));
    const newYoRc = !existsSync(this.target('.yo-rc.json'));
    const clashes: string[] = [];
    for (const file of files) {
      const target = this.target(file.destination);
      if (file.keepExisting && existsSync(target)) continue;
      const rendered = Buffer.from(this.renderText(file, data), 'utf8');
      // mem-fs-editor types `stat` as fs.Stats but commits only its mode. The conflicter compares
      // it with fs.stat's full st_mode, so the file-type bits belong in it too.
      this.fs.write(target, rendered, file.executable ? { stat: { mode: constants.S_IFREG | 0o755 } as Stats } : {});
      if (existsSync(target) && !readFileSync(target).equals(rendered)) clashes.push(file.destination);
      if (!file.keepExisting) this.written.set(file.destination, rendered);
    }
    this.removeUngenerated(files, keep);
    if (clashes.length > 0 && !this.interactive && this.optionValue('force') !== true && !this.dryRun) {
      throw new UsageError(
        `${clashes.join(', ')} ${clashes.length === 1 ? 'exists' : 'exist'} with other content: run interactively to decide file by file, or add --force to overwrite`,
      );
    }
    const yoRc = this.target('.yo-rc.json');
    const all = this.fs.readJSON(yoRc, {}) as Record<string, unknown>;
    this.fs.writeJSON(yoRc, { ...all, [this.rootGeneratorName()]: this.record(store, omit, this.written) });
    if (newYoRc) reportAsCreated(this, yoRc);
  }

  /**
   * A re-run that no longer produces a file the last run recorded (--kind cli has no compose.yaml)
   * removes it when it is untouched since, as `update` does; an edited one stays, said.
   */
  private removeUngenerated(files: readonly PlannedFile[], keep: (file: PlannedFile) => boolean): void {
    // Only this generator's own record, and in it only what it could have written and the one writer
    // accepts: dockergo:app's README.md is never a reason for dockergo:docker to remove a file.
    if (this.stored()['generator'] !== this.generatorName) return;
    const files_ = this.stored()['files'];
    const record = typeof files_ === 'object' && files_ !== null && !Array.isArray(files_) ? (files_ as Record<string, unknown>) : {};
    const planned = new Set(files.map((f) => f.destination));
    for (const [destination, id] of Object.entries(record)) {
      if (pathRule(destination) || !keep({ template: '', destination }) || typeof id !== 'string') continue;
      if (planned.has(destination)) continue;
      const now = readProjectFile(this.root, destination);
      if (now === undefined) continue;
      if (blobId(now) === id) this.removals.push(destination);
      else this.notice(`${destination} is no longer generated, but was edited since: left as it is`);
    }
  }

  /**
   * `update`: renders the plan with the stored (or changed) answers, decides each file's fate
   * against the record of what was written last time (updated, merged, conflict, added,
   * removed…), refuses when a file it would change has uncommitted edits, then writes the files
   * and the new record itself: Yeoman's conflict questions have nothing left to decide.
   */
  private update(
    files: PlannedFile[],
    data: TemplateData,
    store: Record<string, unknown>,
    omit: readonly string[],
    writes: (destination: string) => boolean,
  ): void {
    const stored = this.stored();
    // The record is input like any other: a forged key must never name a file to delete or overwrite.
    const record = checkRecord(stored['files'], writes);
    const rendered: (RenderedFile & { recorded: boolean })[] = files
      .filter((f) => !(f.keepExisting && existsSync(this.target(f.destination))))
      .map((f) => ({
        destination: f.destination,
        bytes: Buffer.from(this.renderText(f, data), 'utf8'),
        executable: f.executable === true,
        recorded: !f.keepExisting,
      }));
    const plan = planUpdate({
      rendered,
      record,
      read: (file) => readProjectFile(this.root, file),
      base: (id) => readBlob(this.root, id),
    });
    refuseUncommitted(this.root, plan);
    if (this.dryRun) {
      for (const diff of updateDiffs(plan)) this.log(diff);
    } else {
      const written = new Map(rendered.filter((f) => f.recorded).map((f) => [f.destination, f.bytes]));
      const all = readYoRc(this.root) ?? {};
      const yoRc = `${JSON.stringify({ ...all, [this.rootGeneratorName()]: this.record(store, omit, written) }, null, 2)}\n`;
      const tree = updateTree(plan);
      writeTree(this.root, { files: [...tree.files, { destination: '.yo-rc.json', bytes: yoRc }], deletions: tree.deletions });
      storeBlobs(this.root, [...written.values()]);
    }
    const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
    const versions: Versions = {
      generator: { from: text(stored['generatorVersion']), to: packageVersion },
      ...(this.preset ? { preset: { spec: this.preset.spec, from: text(stored['presetVersion']), to: this.preset.version } } : {}),
    };
    for (const line of updateReport(plan, versions, this.dryRun)) this.log(line);
    if (!this.dryRun && plan.some((u) => u.fate === 'conflict')) process.exitCode = CONFLICT_EXIT;
  }

  /**
   * Yeoman's commit step: its pipeline decides (the conflicter asks, interactively), and the one
   * writer writes, all or nothing. Nothing is written on a dry run.
   */
  private async commit(): Promise<void> {
    await this.step(async () => {
      const decided = await decideCommit(this.env as unknown as CommitEnvironment, this.root, (plan) => {
        if (!this.dryRun) checkTree(this.root, { ...plan, deletions: [...(plan.deletions ?? []), ...this.removals] });
      });
      const tree = { files: decided.files, deletions: [...(decided.deletions ?? []), ...this.removals] };
      for (const file of this.removals) this.log(`${'remove'.padStart(9)} ${path.relative(process.cwd(), this.target(file))}`);
      if (this.dryRun || (tree.files.length === 0 && tree.deletions.length === 0)) return;
      // The writer makes a new project folder too (and removes it again if a write fails).
      writeTree(this.root, tree);
      if (this.pendingFolder) {
        this.destinationRoot(this.root);
        this.pendingFolder = false;
      }
    });
  }

  /** The text a planned file renders to (lib/render.ts), a failing template named relative to its preset (or to ours). */
  private renderText(file: PlannedFile, data: TemplateData): string {
    return renderFile(file, data, templatesRoot, this.preset?.dir ?? templatesRoot);
  }

  /** A note (say, "no HEALTHCHECK: …"), printed by end() when the run got that far. */
  protected notice(text: string): void {
    this.notes.push(text);
  }

  /** Prints the notes: the first thing each generator's end() does. */
  protected printNotices(): void {
    for (const text of this.notes.splice(0)) this.log.info(text);
  }

  /** After a dry run: say that nothing was written or run. */
  protected reportDryRun(): void {
    // A preset's overlays are templates, and templates are code: rendering them to show the files runs them.
    const ran = this.preset && this.preset.overlays.length > 0
      ? `nothing was written, and neither git nor go was run; preset ${this.preset.spec}'s templates were run to render the files above (a preset is code: see "What the generator trusts")`
      : 'nothing was written and nothing was run';
    this.log(`\n--dry-run: ${ran}. Without --dry-run, the files above are written.\n`);
  }

  /** Runs a helper tool; a missing or failing tool is a warning, never a failed scaffold. */
  protected async runTool(command: string, args: string[]): Promise<void> {
    const result = await this.spawn(command, args, { cwd: this.destinationPath(), reject: false, stdio: 'inherit' });
    if (result.exitCode !== 0) {
      const why = result.exitCode === undefined ? result.shortMessage : `exit ${result.exitCode}`;
      this.log.info(`\`${command} ${args.join(' ')}\` did not succeed (${why}); run it yourself`);
    }
  }
}

/**
 * The Kubernetes overlays are the user's, written once for the kind the project had: prod's HPA
 * scales the service's Deployment, and a cli has none. `update` never rewrites them, so it does not
 * change the kind under them: it says how.
 */
function refuseKindChange(storedKind: unknown, data: TemplateData, overlays: boolean): void {
  if (!overlays || data.deploy !== 'kubernetes' || typeof storedKind !== 'string' || storedKind === data.kind) return;
  const why = storedKind === 'service'
    ? "prod's HPA scales a Deployment, which a cli does not have"
    : "prod has no HPA, and no patch that leaves the replica count to one";
  throw new UsageError(
    `--kind ${data.kind}: ${KUBERNETES_DIR}/overlays/ (yours, which the generator never rewrites) is written for a ${storedKind} (${why}): ` +
      `move it aside (git mv ${KUBERNETES_DIR}/overlays ${KUBERNETES_DIR}/overlays.${storedKind}), run again so that new overlays are written, then carry your edits over`,
  );
}

/** Lists compare as sets: a locked config list given in another order is the same list. */
function comparable(value: unknown): string {
  return JSON.stringify(Array.isArray(value) ? [...value].sort() : value);
}

/**
 * Yeoman marks .yo-rc.json "force" whatever the disk holds, which reads like an overwrite
 * on a first run: a new one is reported as "create", like every other new file.
 */
function reportAsCreated(generator: Generator, file: string): void {
  const log = generator.env.adapter.log as unknown as Record<string, (path: string) => unknown>;
  const force = log['force']!;
  const relative = path.relative(process.cwd(), file);
  log['force'] = function (this: unknown, shown: string) {
    return (shown === relative ? log['create']! : force).call(this, shown);
  };
}

function defaultContext(destination: string, known: Partial<Answers>): DefaultContext {
  return {
    folder: path.basename(destination),
    // Asking go for its version costs a process start: only when the default is needed.
    localGoVersion: known.goVersion === undefined ? localGoVersion() : undefined,
  };
}
