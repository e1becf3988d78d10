// `yo dockergo:docker` / `generator-dockergo docker`: adds the container files to an existing
// Go module. It reads go.mod, the module's layout and the main package's dependency graph, and
// writes Dockerfile, .dockerignore, build.sh, compose.yaml (for a service, unless the module has
// a compose file of another name), the CI workflow when asked, a Makefile only when there is
// none, and .yo-rc.json; it never touches .go files, go.mod or go.sum.
// The class only sequences Yeoman's run loop; the steps are in ../lib/run/docker.ts.
import Generator from 'yeoman-generator';
import { equivalentCommand, type InputName } from '../lib/inputs/index.js';
import type { PlannedFile, TemplateData } from '../lib/plan/index.js';
import { shellQuote } from '../lib/rules/index.js';
import { declareOptions, DockergoGenerator, type WriteOptions } from '../lib/run/index.js';
import { checkDockerAnswers, dockerProject, dockerResolve, pickProgram, scanDocker, type DockerProgram, type DockerScan } from '../lib/run/docker.js';
import { deployHints } from '../lib/targets/index.js';

export default class DockerGenerator extends DockergoGenerator {
  protected readonly generatorName = 'docker' as const;
  private scan!: DockerScan;
  private program!: DockerProgram;
  private data!: TemplateData;
  private plan: PlannedFile[] = [];
  private writeOptions: WriteOptions = {};

  constructor(args: string[], options: Generator['options']) {
    super(args, options);
    declareOptions(this, 'docker');
  }

  async initializing(): Promise<void> {
    await this.step(async () => {
      this.scan = scanDocker(this.root, this.stored());
      await this.loadSources();
    });
  }

  async prompting(): Promise<void> {
    await this.step(async () => {
      const ask = async (message: string, choices: string[]) =>
        (await this.prompt<{ main: string }>([{ type: 'select', name: 'main', message, choices }] as never)).main;
      const given = { flag: this.optionValue('main'), stored: this.stored()['main'] };
      this.program = await pickProgram(this.root, this.scan, given, this.sources.interactive, ask, (line) => this.log(line));
      await this.resolveAnswers(dockerResolve(this.scan, this.program, this.sources));
      checkDockerAnswers(this.root, this.answers);
    });
  }

  configuring(): void {
    const project = dockerProject(this.answers, this.preset, this.scan, this.program, this.sources);
    [this.data, this.plan, this.writeOptions] = [project.data, project.plan, project.options];
    for (const text of project.notes) this.notice(text);
  }

  async writing(): Promise<void> {
    await this.step(() => this.writePlan(this.plan, this.data, this.writeOptions));
  }

  end(): void {
    this.printNotices();
    if (this.updating || this.dryRun) return;
    this.storeWritten();
    const { main } = this.program;
    if (this.sources.interactive) {
      const words = [...(this.preset ? ['--preset', this.preset.spec] : []), '--main', main.pkg].map(shellQuote);
      const omit: InputName[] = ['module', 'layout'];
      const command = equivalentCommand(this.answers, words, { command: 'generator-dockergo docker', omit });
      this.log(`\nTo do this again without prompts:\n  ${command}\n`);
    }
    const steps = ['./build.sh build', './build.sh test', './build.sh run', ...deployHints(this.data.deploy, this.data)];
    const module = this.scan.module.module;
    const which = main.pkg === '.' ? module : `${module} (${main.pkg})`;
    this.log(`\nContainer files for ${which} are ready. Next:\n${steps.map((s) => `  ${s}\n`).join('')}`);
  }
}
