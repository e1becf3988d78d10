// mocha's spec reporter, closing with the plain line "N passed, N failed" that CI reads. With
// DOCKERGO_TIMINGS=FILE it also appends, per test file, its seconds (hooks included) as
// "seconds<TAB>file" lines, which .ci/run prints in its timing table.
'use strict';
const { appendFileSync } = require('node:fs');
const path = require('node:path');
const Mocha = require('mocha');

const { EVENT_RUN_END, EVENT_SUITE_BEGIN, EVENT_SUITE_END } = Mocha.Runner.constants;

class SpecWithTotals extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    // A file's top-level suites run one after another: the time from its first to its last.
    const began = new Map();
    const seconds = new Map();
    const fileOf = (suite) => (suite.file ? path.relative(process.cwd(), suite.file).replace(/\.js$/, '.ts') : undefined);
    runner.on(EVENT_SUITE_BEGIN, (suite) => {
      if (!suite.parent?.root || !fileOf(suite)) return;
      began.set(suite, process.hrtime.bigint());
    });
    runner.on(EVENT_SUITE_END, (suite) => {
      const start = began.get(suite);
      if (start === undefined) return;
      const file = fileOf(suite);
      seconds.set(file, (seconds.get(file) ?? 0) + Number(process.hrtime.bigint() - start) / 1e9);
    });
    runner.once(EVENT_RUN_END, () => {
      const { passes, failures, pending } = runner.stats;
      const out = process.env.DOCKERGO_TIMINGS;
      if (out) appendFileSync(out, [...seconds].map(([file, s]) => `${Math.round(s)}\t${file}\n`).join(''));
      process.stdout.write(`\n${passes} passed, ${failures} failed${pending ? `, ${pending} skipped` : ''}\n`);
    });
  }
}

module.exports = SpecWithTotals;
