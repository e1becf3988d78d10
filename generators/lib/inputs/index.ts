// Inputs: the one definition of every input (inputs/table.ts: flag, prompt, default, validator,
// help), and what turns raw values into validated answers: checking a flag, an answers file or a
// stored value against its row, filling defaults in table order, and the command that reproduces a
// set of answers. Flags, prompts, --help, .yo-rc.json, the preset schema and the README's flag
// table all read the table; nothing here knows Yeoman. Built on rules/ and errors.ts alone.
export * from './answers.js';
export * from './files.js';
export * from './flag-table.js';
export * from './table.js';
