// Run: the generators' run loop and Yeoman's side of everything. The input table as options and
// questions (options.ts, prompts.ts); where answers come from and their precedence (sources.ts); the
// base class whose steps each generator's run-loop methods call (generator.ts); a fresh run's write
// through Yeoman's in-memory file system and commit (fresh.ts); and what a run prints (output.ts).
// The top room: it calls plan/, update/, presets/, module/ and write/, and nothing calls it but the
// generator classes (generators/app, docker, update).
export * from './generator.js';
export type { WriteOptions } from './project.js';
export * from './options.js';
export * from './output.js';
export * from './sources.js';
