// Mocha root hooks. yeoman-test chdirs into each run's folder, and tests delete those folders:
// go back to the package root after each test, so no child process starts in a deleted folder.
// At the end of the run, stop the engines and servers the run started (test/support/engines/),
// and remove the packed package.
import { stopEngines } from './engines/engines.js';
import { stopCluster } from './engines/kubernetes.js';
import { removePackedPackage } from './packed.js';
import { PACKAGE_ROOT } from './project.js';

export const mochaHooks = {
  afterEach(): void {
    process.chdir(PACKAGE_ROOT);
  },
  async afterAll(): Promise<void> {
    // The cluster pulls from the engines' registries: it stops first.
    await stopCluster();
    await stopEngines();
    await removePackedPackage();
  },
};
