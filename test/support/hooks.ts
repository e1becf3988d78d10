// Mocha root hooks (npm test's lanes, test/run.ts, write the machine's state before they start).
//   - The run's temp folder: TMPDIR points at a folder of the run's own (sticky and world-writable,
//     as /tmp is, for the tests that run programs as an unprivileged user), so every temp file the
//     tests, the generator and the programs they start make lands there. At the end, once
//     everything is stopped, anything still in it is a leak: the run fails and names it, and the
//     folder is removed either way.
//   - A temp folder a test makes (tempDir) is removed when the test ends; a suite removes the ones
//     its `before` hooks make.
//   - yeoman-test chdirs into each run's folder, and tests delete those folders: go back to the
//     package root after each test, so no child process starts in a deleted folder.
//   - At the end of the run, stop the engines and servers the run started (test/support/engines/),
//     and remove the packed package.
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stopContainers } from './engines/containers.js';
import { stopEngines } from './engines/engines.js';
import { stopCluster } from './engines/kubernetes.js';
import { removePackedPackage } from './packed.js';
import { PACKAGE_ROOT, testEnds, testStarts } from './project.js';

const machineTmp = tmpdir();
const runTmp = mkdtempSync(path.join(machineTmp, 'dockergo-run-'));
chmodSync(runTmp, 0o1777);
process.env['TMPDIR'] = runTmp;

/** Each entry of the run's temp folder, and the test after which it was first seen: a leak's culprit. */
const firstSeen = new Map<string, string>();

export const mochaHooks = {
  beforeEach(): void {
    testStarts();
  },
  afterEach(this: Mocha.Context): void {
    process.chdir(PACKAGE_ROOT);
    testEnds();
    for (const entry of readdirSync(runTmp)) if (!firstSeen.has(entry)) firstSeen.set(entry, this.currentTest?.fullTitle() ?? '?');
  },
  async afterAll(): Promise<void> {
    process.chdir(PACKAGE_ROOT);
    // The cluster pulls from the engines' registries: it stops first. podman's network was made
    // while a Docker Engine may have run: it goes before the engine puts ip_forward back.
    await stopCluster();
    await stopContainers();
    await stopEngines();
    await removePackedPackage();
    const left = readdirSync(runTmp);
    rmSync(runTmp, { recursive: true, force: true });
    process.env['TMPDIR'] = machineTmp;
    if (left.length > 0) {
      const named = left.sort().map((entry) => `${entry} (first seen after "${firstSeen.get(entry) ?? 'the last test'}")`);
      throw new Error(`the tests left ${left.length} entr${left.length === 1 ? 'y' : 'ies'} in their temp folder (removed now): ${named.join(', ')}`);
    }
  },
};
