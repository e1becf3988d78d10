// `yo dockergo:docker` / `generator-dockergo docker`: adds the container files to an existing
// Go module. It reads go.mod, the module's layout and the main package's dependency graph, and
// writes Dockerfile, .dockerignore, build.sh, compose.yaml (for a service, unless the module has
// a compose file of another name), the CI workflow when asked, a Makefile only when there is
// none, and .yo-rc.json; it never touches .go files, go.mod or go.sum.
import { existsSync } from 'node:fs';
import Generator from 'yeoman-generator';
import { equivalentCommand, type InputName } from '../lib/inputs/index.js';
import { checkConfigFilesExist, inspectMain, pickMain, programNotes, scanModule, type MainDeps, type MainPackage, type ModuleInfo } from '../lib/module/index.js';
import { packageVersion } from '../lib/package.js';
import { containerFiles, toTemplateData, type PlannedFile, type TemplateData } from '../lib/plan/index.js';
import { programName, shellQuote } from '../lib/rules/index.js';
import { declareOptions, DockergoGenerator } from '../lib/run/index.js';
import { deployHints } from '../lib/targets/index.js';

/** Compose files `docker compose` reads before or instead of compose.yaml's neighbours. */
const OTHER_COMPOSE_FILES = ['compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];

/** Inputs an existing module settles itself: they are never asked. */
const FROM_MODULE = new Set(['module', 'layout', 'goVersion']);

export default class DockerGenerator extends DockergoGenerator {
  protected readonly generatorName = 'docker' as const;
  private module!: ModuleInfo;
  private main!: MainPackage;
  private deps!: MainDeps;
  private data!: TemplateData;
  private hadMakefile = false;
  /** A compose file of the module's own, which compose.yaml would silently take the place of. */
  private ownCompose: string | undefined;

  constructor(args: string[], options: Generator['options']) {
    super(args, options);
    declareOptions(this, 'docker');
  }

  async initializing(): Promise<void> {
    await this.step(async () => {
      this.module = scanModule(this.root);
      await this.loadSources();
    });
    this.hadMakefile = existsSync(this.target('Makefile'));
    this.ownCompose = OTHER_COMPOSE_FILES.find((f) => existsSync(this.target(f)));
  }

  async prompting(): Promise<void> {
    await this.step(async () => {
      const flag = this.optionValue('main');
      const stored = this.stored()['main'];
      const given = typeof flag === 'string' && flag !== '' ? { value: flag, where: '--main' } : { value: stored, where: '.yo-rc.json main' };
      const ask = async (message: string, choices: string[]) =>
        (await this.prompt<{ main: string }>([{ type: 'select', name: 'main', message, choices }] as never)).main;
      this.main = await pickMain(ask, this.root, this.module, given, this.sources.interactive);
      // Refusals come before any question: what the build would fail at, it fails at here.
      this.deps = inspectMain(this.root, this.module, this.main, () =>
        this.log(`Downloading the modules ${this.main.pkg} imports into the Go module cache, to look for cgo in them (go list -deps) ...`),
      );
      // What go.mod says is a fact (read again on every run), unless --go-version (or an answers file) overrides it.
      const goVersion = this.sources.flags.goVersion ?? this.sources.fileAnswers.goVersion ?? this.module.goVersion;
      await this.resolveAnswers({
        ask: (key) => !FROM_MODULE.has(key),
        facts: { module: this.module.module, layout: this.main.pkg === '.' ? 'flat' : 'cmd', ...(goVersion ? { goVersion } : {}) },
        // A program that never listens is a cli by default: compose.yaml, EXPOSE and probes would wait for a port that never opens.
        defaults: { name: programName(this.module.module, this.main.pkg), kind: this.deps.listens ? 'service' : 'cli' },
      });
      checkConfigFilesExist(this.answers.config, this.root);
    });
  }

  configuring(): void {
    this.data = toTemplateData(this.answers, {
      generatorVersion: packageVersion,
      ...this.presetData(),
      existing: {
        mainPackage: this.main.pkg,
        dockerignore: this.module.dockerignore,
        healthcheck: this.main.healthcheck,
        configFlag: this.main.configFlag,
        localReplaces: this.module.localReplaces,
        vendor: this.module.vendor,
        ...(this.deps.versionSymbol ? { versionSymbol: this.deps.versionSymbol } : {}),
        ...(this.ownCompose ? { composeFile: this.ownCompose } : {}),
      },
    });
    for (const text of programNotes(this.main, this.deps, this.data)) this.notice(text);
    if (this.data.isService && this.answers.compose && this.ownCompose) {
      this.notice(`no compose.yaml: the module has ${this.ownCompose}, which docker compose would stop reading`);
    }
    if (this.data.configFiles.length > 0 && !this.main.configFlag) {
      this.notice(`config files are copied to ${this.data.configDir}/ but not passed: ${this.main.pkg} has no -config flag`);
    }
  }

  async writing(): Promise<void> {
    const plan: PlannedFile[] = [...containerFiles(this.data), ...(this.hadMakefile ? [] : [{ template: 'Makefile.ejs', destination: 'Makefile' }])];
    await this.step(() =>
      this.writePlan(plan, this.data, {
        // A preset overlay may add files, but never Go sources or module files.
        keep: (f) => !/(^|\/)(go\.mod|go\.sum|[^/]*\.go)$/.test(f.destination),
        store: { main: this.main.pkg },
        // go.mod's version is read again on every run: a stored one would go stale (and an old one,
        // say 1.20, would fail the new-project rule, Go 1.22+, on the next run).
        omit: (this.sources.flags.goVersion ?? this.sources.fileAnswers.goVersion) === undefined ? ['goVersion'] : [],
      }),
    );
  }

  end(): void {
    this.printNotices();
    if (this.updating || this.dryRun) return;
    this.storeWritten();
    if (this.sources.interactive) {
      const words = [...(this.preset ? ['--preset', this.preset.spec] : []), '--main', this.main.pkg].map(shellQuote);
      const omit: InputName[] = ['module', 'layout'];
      const command = equivalentCommand(this.answers, words, { command: 'generator-dockergo docker', omit });
      this.log(`\nTo do this again without prompts:\n  ${command}\n`);
    }
    const steps = ['./build.sh build', './build.sh test', './build.sh run', ...deployHints(this.data.deploy, this.data)];
    const which = this.main.pkg === '.' ? this.module.module : `${this.module.module} (${this.main.pkg})`;
    this.log(`\nContainer files for ${which} are ready. Next:\n${steps.map((s) => `  ${s}\n`).join('')}`);
  }
}
