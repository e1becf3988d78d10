// `yo dockergo` / `generator-dockergo`: scaffolds a containerised Go service.
// The class only sequences Yeoman's run loop; the work lives in ../lib.
import Generator from 'yeoman-generator';
import { equivalentCommand } from '../lib/inputs/index.js';
import { projectFiles, type TemplateData } from '../lib/plan/index.js';
import { shellQuote } from '../lib/rules/index.js';
import { appProject } from '../lib/run/app.js';
import { declareOptions, DockergoGenerator, runTool } from '../lib/run/index.js';
import { deployHints } from '../lib/targets/index.js';

export default class AppGenerator extends DockergoGenerator {
  protected readonly generatorName = 'app' as const;
  private data!: TemplateData;
  /** The folder argument, when the project goes into a new folder. */
  private folder = '';

  constructor(args: string[], options: Generator['options']) {
    super(args, options);
    this.argument('folder', {
      type: String,
      required: false,
      description: 'Folder to create the project in (default: the current folder)',
    });
    declareOptions(this, 'app');
  }

  async initializing(): Promise<void> {
    await this.step(async () => {
      await this.loadSources();
      // Checked now; created only when the whole plan is good.
      const folder = this.optionValue('folder');
      if (typeof folder === 'string' && folder !== '') {
        this.setFolder(folder);
        this.folder = folder;
      }
    });
  }

  async prompting(): Promise<void> {
    await this.step(() => this.resolveAnswers());
  }

  configuring(): void {
    const project = appProject(this.answers, this.preset);
    this.data = project.data;
    for (const text of project.notes) this.notice(text);
  }

  async writing(): Promise<void> {
    await this.step(() => this.writePlan(projectFiles(this.data), this.data));
  }

  async install(): Promise<void> {
    if (this.optionValue('skip-install') === true || this.dryRun || this.updating) return;
    const top = await this.spawn('git', ['rev-parse', '--show-toplevel'], { cwd: this.destinationPath(), reject: false, stdio: 'pipe' });
    if (top.exitCode !== 0) await runTool(this, 'git', ['init', '--quiet']);
    else {
      // Said, not silent: `update` needs the files committed, and this repository is someone else's.
      this.notice(`no git init: ${this.destinationPath()} is inside the git repository at ${String(top.stdout).trim()}; commit the new files there (generator-dockergo update merges from what is committed)`);
    }
    await runTool(this, 'go', ['mod', 'tidy']);
  }

  end(): void {
    this.printNotices();
    if (this.updating || this.dryRun) return;
    this.storeWritten();
    const folder = this.folder === '' ? [] : [shellQuote(this.folder)];
    if (this.sources.interactive) {
      // A cli has no port or compose file: its equivalent command carries neither.
      const command = equivalentCommand(this.answers, [...(this.preset ? ['--preset', this.preset.spec] : []).map(shellQuote), ...folder]);
      this.log(`\nTo generate this again without prompts:\n  ${command}\n`);
    }
    const steps = [
      ...folder.map((f) => `cd ${f}`),
      'make test',
      './build.sh build',
      this.data.isService ? `./build.sh run   # then: curl localhost:${this.data.port}/healthz` : `./build.sh run${this.data.args.length > 0 ? '' : ' input.txt output.txt'}`,
      ...(this.data.compose ? ['docker compose watch   # or: the dev loop, rebuilt on every Go change'] : []),
      ...deployHints(this.data.deploy, this.data),
    ];
    this.log(`\n${this.data.name} is ready. Next:\n${steps.map((s) => `  ${s}\n`).join('')}`);
  }
}
