// Rules: the pure validators, one per kind of value. Each takes the raw text a user gave (a flag,
// a prompt's answer, an answers file, a preset, a module's go.mod) and returns the normalised value,
// or what is wrong with it first (the offending character and its position, the limit) and the rule
// it breaks, in a short clause. Nothing here reads the disk or knows where a value came from: the
// input table (inputs/), presets and the module scan call these, and build.sh shares the registry
// rule as text. The room below every other but errors.ts.
export type { Checked } from '../errors.js';
export * from './certificates.js';
export * from './files.js';
export * from './go.js';
export * from './git.js';
export * from './go-releases.js';
export * from './kubernetes.js';
export * from './names.js';
export * from './network.js';
export * from './shell.js';
export * from './values.js';
