// Yeoman's commit step, ending in the one writer. Yeoman's own pipeline runs first (.yo-resolve,
// .yo-rc.json forced, the conflicter, which asks its questions when a person runs it), then every
// file it would have written goes to writeTree instead of mem-fs-editor's per-file commit, so
// what reaches the disk is contained, checked first, and written all or nothing.
import path from 'node:path';
import { Transform } from 'node:stream';
import { createConflicterTransform, createYoResolveTransform, forceYoFiles } from '@yeoman/conflicter';
import type { MemFsEditorFile } from 'mem-fs-editor';
import { clearFileState, isFilePending, isFileNew, isFileStateDeleted, isFileStateModified, setCommittedFile } from 'mem-fs-editor/state';
import type { TreeFile, TreePlan } from './tree.js';

export interface CommitEnvironment {
  adapter: unknown;
  conflicterOptions?: Record<string, unknown>;
  sharedFs: {
    all(): MemFsEditorFile[];
    pipeline(options: { filter: (file: MemFsEditorFile) => boolean }, ...transforms: unknown[]): Promise<void>;
  };
}

/** What a pending mem-fs file asks of the disk, added to plan (destinations relative to root). */
function addTo(plan: { files: TreeFile[]; deletions: string[] }, root: string, file: MemFsEditorFile): void {
  const destination = path.relative(root, file.path).split(path.sep).join('/');
  if (isFileStateModified(file) && file.contents) {
    const mode = file.stat?.mode;
    plan.files.push({ destination, bytes: file.contents, ...(mode ? { mode: mode & 0o7777 } : {}) });
  } else if (isFileStateDeleted(file) && !isFileNew(file)) {
    plan.deletions.push(destination);
  }
}

/**
 * Runs Yeoman's commit pipeline and returns, instead of writing, what it decided to write or
 * delete below root. `check` sees every pending file first, before the conflicter reports or
 * asks anything.
 */
export async function decideCommit(env: CommitEnvironment, root: string, check: (plan: TreePlan) => void): Promise<TreePlan> {
  const pending = { files: [] as TreeFile[], deletions: [] as string[] };
  for (const file of env.sharedFs.all()) if (isFilePending(file)) addTo(pending, root, file);
  check(pending);
  const plan = { files: [] as TreeFile[], deletions: [] as string[] };
  const collect = new Transform({
    objectMode: true,
    transform(file: MemFsEditorFile, _encoding, done) {
      addTo(plan, root, file);
      if (isFilePending(file)) setCommittedFile(file);
      clearFileState(file);
      done(null, file);
    },
  });
  await env.sharedFs.pipeline(
    { filter: (file) => isFilePending(file) || file.path.endsWith('.yo-resolve') },
    createYoResolveTransform(),
    forceYoFiles(),
    createConflicterTransform(env.adapter as never, env.conflicterOptions),
    collect,
  );
  return plan;
}
