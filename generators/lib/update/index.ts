// Update: keeping a generated project current. Which generator made the project and whether this
// version may update it (project.ts); the record of what each run wrote, whose git blobs are the
// merge bases (record.ts); each file's fate, decided purely (plan.ts) with git's three-way merge
// (merge.ts); applying it through the one writer (apply.ts); and the report (report.ts). It takes
// rendered bytes from plan/ and writes through write/; the generators' run loop (run/) calls it.
export * from './apply.js';
export * from './check.js';
export * from './merge.js';
export * from './plan.js';
export * from './project.js';
export * from './record.js';
export * from './report.js';
