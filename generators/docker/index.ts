// `yo dockergo:docker` / `generator-dockergo docker`: adds the container files to an existing
// Go module. It reads go.mod and the module's layout, writes only Dockerfile, .dockerignore,
// build.sh (and a Makefile when there is none), and never touches .go files, go.mod or go.sum.
import { existsSync } from 'node:fs';
import Generator from 'yeoman-generator';
import { equivalentCommand, shellQuote, UsageError } from '../lib/answers.js';
import { DockergoGenerator } from '../lib/base.js';
import { containerFiles, type PlannedFile } from '../lib/files.js';
import { declareOptions, packageVersion } from '../lib/generator-support.js';
import { moduleBase, toName } from '../lib/validate.js';
import { scanModule, type MainPackage, type ModuleInfo } from '../lib/module-scan.js';
import { toTemplateData, type TemplateData } from '../lib/template-data.js';

/** Inputs an existing module settles itself: they are never asked. */
const FROM_MODULE = new Set(['module', 'layout', 'goVersion']);

export default class DockerGenerator extends DockergoGenerator {
  private module!: ModuleInfo;
  private main!: MainPackage;
  private data!: TemplateData;
  private hadMakefile = false;

  constructor(args: string[], options: Generator['options']) {
    super(args, options);
    declareOptions(this, 'docker');
  }

  async initializing(): Promise<void> {
    try {
      this.module = scanModule(this.destinationRoot());
      await this.loadSources();
    } catch (error) {
      this.fail(error);
    }
    this.hadMakefile = existsSync(this.destinationPath('Makefile'));
  }

  async prompting(): Promise<void> {
    try {
      const flag = this.optionValue('main');
      const given = typeof flag === 'string' && flag !== '' ? { value: flag, where: '--main' } : { value: this.config.get('main'), where: '.yo-rc.json main' };
      this.main = await pickMain(this, this.module, given, this.interactive);
      const mainDir = this.main.pkg === '.' ? moduleBase(this.module.module) : this.main.pkg.split('/').at(-1)!;
      await this.resolveAnswers({
        ask: (key) => !FROM_MODULE.has(key),
        facts: { module: this.module.module, layout: this.main.pkg === '.' ? 'flat' : 'cmd' },
        defaults: { goVersion: this.module.goVersion, name: toName(mainDir) },
      });
    } catch (error) {
      this.fail(error);
    }
  }

  configuring(): void {
    this.storeAnswers();
    this.config.set('main', this.main.pkg);
    // go.mod's go directive is read again on every run; an old one (say 1.20) must not be
    // stored and then fail the new-project rule (Go 1.22+) on the next run.
    if (this.flags.goVersion === undefined) this.config.delete('goVersion');
    this.data = toTemplateData(this.answers, {
      generatorVersion: packageVersion,
      images: this.preset?.images,
      labels: this.preset?.labels,
      existing: {
        mainPackage: this.main.pkg,
        dockerignore: this.module.dockerignore,
        healthcheck: this.main.healthcheck,
        configFlag: this.main.configFlag,
      },
    });
    if (this.data.isService && !this.data.healthcheck) {
      this.log.info(`no HEALTHCHECK: ${this.main.pkg} has no -healthcheck flag for the image to run (Kubernetes probes work without one)`);
    }
    if (this.data.configFiles.length > 0 && !this.main.configFlag) {
      this.log.info(`config files are copied to ${this.data.configDir}/ but not passed: ${this.main.pkg} has no -config flag`);
    }
  }

  writing(): void {
    const plan: PlannedFile[] = [...containerFiles(), ...(this.hadMakefile ? [] : [{ template: 'Makefile.ejs', destination: 'Makefile' }])];
    try {
      // A preset overlay may add files, but never Go sources or module files.
      this.renderPlan(plan, this.data, (f) => !/(^|\/)(go\.mod|go\.sum|[^/]*\.go)$/.test(f.destination));
    } catch (error) {
      this.fail(error);
    }
  }

  end(): void {
    if (this.interactive) {
      const words = [...this.presetWords(), '--main', this.main.pkg].map(shellQuote);
      const command = equivalentCommand(this.answers, words, { command: 'generator-dockergo docker', omit: ['module', 'layout'] });
      this.log(`\nTo do this again without prompts:\n  ${command}\n`);
    }
    this.log(`\nContainer files for ${this.main.pkg} are ready. Next:\n  ./build.sh build\n  ./build.sh test\n  ./build.sh run\n`);
  }
}

/** The main package: --main (or the stored one), the only one, or asked when there are several. */
async function pickMain(
  generator: Generator,
  module: ModuleInfo,
  given: { value: unknown; where: string },
  interactive: boolean,
): Promise<MainPackage> {
  const found = module.mains.map((m) => m.pkg).join(', ');
  if (typeof given.value === 'string' && given.value !== '') {
    const pkg = `./${given.value.replace(/^\.\//, '').replace(/\/+$/, '')}`.replace(/^\.\/\.?$/, '.');
    const main = module.mains.find((m) => m.pkg === pkg);
    if (!main) throw new UsageError(`${given.where}: ${JSON.stringify(given.value)} is not a main package of this module (found: ${found || 'none'})`);
    return main;
  }
  if (module.mains.length === 0) throw new UsageError('no main package at the module root or in cmd/*: nothing to put in an image');
  if (module.mains.length === 1) return module.mains[0]!;
  if (!interactive) {
    throw new UsageError(`several main packages (${found}): pick one with --main, e.g. --main ${module.mains[0]!.pkg}`);
  }
  const { main } = (await generator.prompt([
    { type: 'select', name: 'main', message: 'Which main package goes into the image?', choices: module.mains.map((m) => m.pkg) },
  ] as never)) as { main: string };
  return module.mains.find((m) => m.pkg === main)!;
}
