// `yo dockergo` / `generator-dockergo`: scaffolds a containerised Go service.
// The class only sequences Yeoman's run loop; the work lives in ../lib.
import { constants, type Stats } from 'node:fs';
import path from 'node:path';
import Generator from 'yeoman-generator';
import { checkInputs, completeAnswers, equivalentCommand, shellQuote, toRaw, type RawInputs } from '../lib/answers.js';
import { projectFiles } from '../lib/files.js';
import type { Answers, DefaultContext } from '../lib/inputs.js';
import {
  askQuestions,
  declareOptions,
  flagValues,
  isInteractive,
  localGoVersion,
  packageVersion,
  quietUserErrors,
  templatesRoot,
} from '../lib/generator-support.js';
import { isPrivilegedPort } from '../lib/validate.js';
import { toTemplateData, type TemplateData } from '../lib/template-data.js';

export default class AppGenerator extends Generator {
  private flags: Partial<Answers> = {};
  private answers!: Answers;
  private data!: TemplateData;
  private interactive = false;
  /** The folder argument, when the project goes into a new folder. */
  private folder = '';
  private readonly fail: (error: unknown) => never;

  constructor(args: string[], options: Generator['options']) {
    // Go projects have no package.json: turn off Yeoman's npm install step.
    super(args, options, { customInstallTask: true });
    this.argument('folder', {
      type: String,
      required: false,
      description: 'Folder to create the project in (default: the current folder)',
    });
    declareOptions(this);
    this.sourceRoot(templatesRoot);
    this.fail = quietUserErrors(this);
  }

  initializing(): void {
    // Flag values never pass through prompt validation, so every one is checked here, first.
    try {
      this.flags = checkInputs(flagValues(this.options), (spec) => `--${spec.flag}`);
    } catch (error) {
      this.fail(error);
    }
    this.interactive = isInteractive(this.options);
    // Only now, with the flags known to be good: destinationRoot creates the folder.
    const folder = optionsOf(this)['folder'];
    if (typeof folder === 'string' && folder !== '') {
      this.destinationRoot(folder);
      this.folder = folder;
    }
  }

  async prompting(): Promise<void> {
    try {
      const stored = checkInputs(this.config.getAll() as RawInputs, (spec) => `.yo-rc.json ${spec.key}`);
      const known: Partial<Answers> = { ...stored, ...this.flags };
      const ctx = defaultContext(this.destinationRoot(), known);
      const asked = this.interactive ? await askQuestions(this, known, ctx, optionsOf(this)['askAnswered'] === true) : {};
      // Answers are checked again: a scripted prompt (or a test's) never runs `validate`.
      const checked = checkInputs(asked, (spec) => `answer to "${spec.prompt ?? spec.key}"`);
      this.answers = completeAnswers({ ...known, ...checked }, ctx);
    } catch (error) {
      this.fail(error);
    }
  }

  configuring(): void {
    if (this.answers.kind === 'service' && isPrivilegedPort(this.answers.port)) {
      this.log.info(
        `port ${this.answers.port} is below 1024: a non-root process (this image runs as 65532) cannot bind it on Kubernetes or rootless engines`,
      );
    }
    this.config.set(toRaw(this.answers) as Record<string, unknown>);
    this.data = toTemplateData(this.answers, { generatorVersion: packageVersion });
  }

  writing(): void {
    for (const file of projectFiles(this.data)) {
      if (file.keepExisting && this.fs.exists(this.destinationPath(file.destination))) continue;
      this.renderTemplate(file.template, file.destination, { ...this.data, ...file.extra });
      if (file.executable) {
        const target = this.destinationPath(file.destination);
        // mem-fs-editor types `stat` as fs.Stats but commits only its mode. The conflicter compares
        // it with fs.stat's full st_mode, so the file-type bits belong in it too.
        this.fs.write(target, this.fs.read(target)!, { stat: { mode: constants.S_IFREG | 0o755 } as Stats });
      }
    }
  }

  async install(): Promise<void> {
    const options = optionsOf(this);
    if (options['skipInstall'] === true || options['skip-install'] === true) return;
    const inRepo = await this.spawn('git', ['rev-parse', '--is-inside-work-tree'], {
      cwd: this.destinationPath(),
      reject: false,
      stdio: 'ignore',
    });
    if (inRepo.exitCode !== 0) await runTool(this, 'git', ['init', '--quiet']);
    await runTool(this, 'go', ['mod', 'tidy']);
  }

  end(): void {
    const folder = this.folder === '' ? [] : [shellQuote(this.folder)];
    if (this.interactive) {
      this.log(`\nTo generate this again without prompts:\n  ${equivalentCommand(this.answers, folder)}\n`);
    }
    const steps = [
      ...folder.map((f) => `cd ${f}`),
      'make test',
      './build.sh build',
      this.data.isService ? `./build.sh run   # then: curl localhost:${this.data.port}/healthz` : './build.sh run input.txt output.txt',
    ];
    this.log(`\n${this.data.name} is ready. Next:\n${steps.map((s) => `  ${s}\n`).join('')}`);
  }
}

/** Options as parsed, keyed by flag or camelCased name (Yeoman's type knows only its own). */
function optionsOf(generator: Generator): Record<string, unknown> {
  return generator.options as Record<string, unknown>;
}

function defaultContext(destination: string, known: Partial<Answers>): DefaultContext {
  return {
    folder: path.basename(destination),
    // Asking go for its version costs a process start: only when the default is needed.
    localGoVersion: known.goVersion === undefined ? localGoVersion() : undefined,
  };
}

/** Runs a helper tool; a missing or failing tool is a warning, never a failed scaffold. */
async function runTool(generator: Generator, command: string, args: string[]): Promise<void> {
  const result = await generator.spawn(command, args, { cwd: generator.destinationPath(), reject: false, stdio: 'inherit' });
  if (result.exitCode !== 0) {
    const why = result.exitCode === undefined ? result.shortMessage : `exit ${result.exitCode}`;
    generator.log.info(`\`${command} ${args.join(' ')}\` did not succeed (${why}); run it yourself`);
  }
}
