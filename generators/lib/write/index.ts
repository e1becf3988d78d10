// Write: the one writer. Every byte that reaches the disk goes through here: each path contained
// (contain.ts: inside the project, no symbolic link in any element, nothing in .git/), the whole
// plan checked against itself and the disk before the first byte (plan.ts), then written atomically,
// all or nothing (tree.ts), from Yeoman's commit (commit.ts) or from `update`. scratch.ts holds the
// temporary files git merge-file and go read. Built on errors.ts alone.
export * from './commit.js';
export * from './contain.js';
export * from './plan.js';
export * from './scratch.js';
export * from './tree.js';
