// What dockergo:app and dockergo:docker share: where answers come from (flags, an answers
// file, .yo-rc.json, prompts, a preset's defaults and locks), and how planned files are
// written. Yeoman queues only the methods of a generator's own class, so the methods here
// are helpers that the run-loop methods of each generator call.
import { constants, existsSync, readFileSync, type Stats } from 'node:fs';
import path from 'node:path';
import Generator from 'yeoman-generator';
import { checkInputs, completeAnswers, readAnswersFile, toRaw, UsageError, type RawInputs } from './answers.js';
import { filesBelow, withOverlays, type PlannedFile } from './files.js';
import {
  askQuestions,
  flagValues,
  isInteractive,
  localGoVersion,
  optionValue,
  packageRoot,
  quietUserErrors,
  templatesRoot,
} from './generator-support.js';
import { INPUTS, type Answers, type DefaultContext, type InputName, type InputSpec } from './inputs.js';
import { loadPreset, type Preset } from './preset.js';
import type { TemplateData } from './template-data.js';

export abstract class DockergoGenerator extends Generator {
  protected flags: Partial<Answers> = {};
  protected fileAnswers: Partial<Answers> = {};
  protected preset: Preset | undefined;
  protected answers!: Answers;
  protected interactive = false;
  protected readonly fail: (error: unknown) => never;

  constructor(args: string[], options: Generator['options']) {
    // Go projects have no package.json: turn off Yeoman's npm install step.
    super(args, options, { customInstallTask: true });
    this.sourceRoot(templatesRoot);
    this.fail = quietUserErrors(this);
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
      this.fileAnswers = readAnswersFile(answersFile, process.cwd(), () => readFileSync(0, 'utf8'));
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
        if (value !== undefined && JSON.stringify(value) !== JSON.stringify(locked)) {
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
    const storedRaw = this.config.getAll() as RawInputs & { preset?: string };
    if (!this.preset && typeof storedRaw.preset === 'string') {
      this.preset = await loadPreset(storedRaw.preset, this.destinationRoot(), packageRoot, '.yo-rc.json preset');
    }
    const stored = checkInputs(storedRaw, (spec) => `.yo-rc.json ${spec.key}`);
    const locked = this.preset?.locked ?? {};
    const known: Partial<Answers> = { ...stored, ...this.fileAnswers, ...this.flags, ...facts, ...locked };
    const ctx = defaultContext(this.destinationRoot(), { ...defaults, ...known });
    const presetDefaults = { ...defaults, ...this.preset?.defaults };
    const askable = (key: InputName) => ask(key) && locked[key] === undefined;
    const asked = this.interactive
      ? await askQuestions(this, known, ctx, this.optionValue('askAnswered') === true, presetDefaults, askable)
      : {};
    // Answers are checked again: a scripted prompt (or a test's) never runs `validate`.
    const checked = checkInputs(asked, (spec) => `answer to "${spec.prompt ?? spec.key}"`);
    this.answers = completeAnswers({ ...known, ...checked }, ctx, presetDefaults);
  }

  /** Stores the answers, and the preset (a path relative to the project), in .yo-rc.json. */
  protected storeAnswers(): void {
    this.config.set(toRaw(this.answers) as Record<string, unknown>);
    if (this.preset) {
      const isPath = existsSync(path.resolve(process.cwd(), this.preset.spec));
      const spec = isPath ? path.relative(this.destinationRoot(), this.preset.dir) || '.' : this.preset.spec;
      this.config.set('preset', spec);
    }
  }

  /** The `--preset …` words for an equivalent command. */
  protected presetWords(): string[] {
    return this.preset ? ['--preset', this.preset.spec] : [];
  }

  /**
   * Renders the plan (with the preset's overlays) into the in-memory file system. Without
   * prompts, a file that exists with other content is an error unless --force: Yeoman would
   * otherwise stop at a conflict question nobody can answer.
   */
  protected renderPlan(plan: PlannedFile[], data: TemplateData, keep: (file: PlannedFile) => boolean = () => true): void {
    const files = (
      this.preset ? withOverlays(plan, path.join(this.preset.dir, 'templates'), this.preset.overlays, new Set(filesBelow(templatesRoot))) : plan
    ).filter(keep);
    const clashes: string[] = [];
    for (const file of files) {
      const target = this.destinationPath(file.destination);
      if (file.keepExisting && existsSync(target)) continue;
      try {
        this.renderTemplate(file.template, file.destination, { ...data, ...file.extra });
      } catch (error) {
        const name = path.relative(this.preset?.dir ?? templatesRoot, file.template);
        throw new UsageError(`template ${name}: ${(error as Error).message.split('\n').filter(Boolean).join(' ')}`);
      }
      if (file.executable) {
        // mem-fs-editor types `stat` as fs.Stats but commits only its mode. The conflicter compares
        // it with fs.stat's full st_mode, so the file-type bits belong in it too.
        this.fs.write(target, this.fs.read(target)!, { stat: { mode: constants.S_IFREG | 0o755 } as Stats });
      }
      if (existsSync(target) && readFileSync(target, 'utf8') !== this.fs.read(target)) clashes.push(file.destination);
    }
    if (clashes.length > 0 && !this.interactive && this.optionValue('force') !== true) {
      throw new UsageError(
        `${clashes.join(', ')} ${clashes.length === 1 ? 'exists' : 'exist'} with other content: run interactively to decide file by file, or add --force to overwrite`,
      );
    }
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

function defaultContext(destination: string, known: Partial<Answers>): DefaultContext {
  return {
    folder: path.basename(destination),
    // Asking go for its version costs a process start: only when the default is needed.
    localGoVersion: known.goVersion === undefined ? localGoVersion() : undefined,
  };
}
