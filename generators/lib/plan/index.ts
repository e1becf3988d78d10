// Plan: what a run writes, decided before anything is. One typed function turns the answers into
// the template data (data.ts, types.ts), the file list says which template becomes which file
// (files.ts, with a preset's overlay and the deploy target's files), and rendering turns the two
// into bytes (render.ts), purely. The fresh run, `update`, --dry-run and the tests all go through
// here; the writer (write/) and update (update/) take the bytes from here. Built on targets/,
// inputs/ and rules/.
export * from './data.js';
export * from './escape.js';
export * from './files.js';
export * from './render.js';
export * from './types.js';
