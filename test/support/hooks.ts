// Mocha root hooks. yeoman-test chdirs into each run's folder, and tests delete those folders:
// go back to the package root after each test, so no child process starts in a deleted folder.
import { PACKAGE_ROOT } from './project.js';

export const mochaHooks = {
  afterEach(): void {
    process.chdir(PACKAGE_ROOT);
  },
};
