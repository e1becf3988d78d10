// `yo dockergo:update` / `generator-dockergo update`: brings a project this generator made up to
// date with the installed generator and preset, keeping the project's own edits. It finds which
// generator made the project (.yo-rc.json) and runs it in update mode, which re-renders with the
// stored answers (flags change them) and merges the new output file by file.
import { fileURLToPath } from 'node:url';
import Generator from 'yeoman-generator';
import { packageVersion } from '../lib/package.js';
import { declareOptions, quietUserErrors } from '../lib/run/index.js';
import { updateTarget } from '../lib/update/index.js';

export default class UpdateGenerator extends Generator {
  private readonly fail: (error: unknown) => never;

  constructor(args: string[], options: Generator['options']) {
    super(args, options, { customInstallTask: true });
    // Every input flag may change an answer on the way: `update --port 9090`, `update --preset …`.
    declareOptions(this, 'app');
    this.fail = quietUserErrors(this);
  }

  async initializing(): Promise<void> {
    let which;
    try {
      which = updateTarget(this.destinationRoot(), packageVersion);
    } catch (error) {
      this.fail(error);
    }
    const generator = fileURLToPath(new URL(`../${which}/index.js`, import.meta.url));
    await this.composeWith(generator, { forwardOptions: true, generatorOptions: { update: true, yes: true } } as never);
  }
}
