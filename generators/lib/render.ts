// Rendering is pure: a plan and the template data in, the files' bytes out. A fresh run, a re-run
// and `update` all render through here, so each gets byte for byte the same output.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ejs from 'ejs';
import { oneLine, UsageError } from './errors.js';
import type { PlannedFile } from './files.js';
import type { TemplateData } from './template-data.js';
import type { TreeFile } from './write/tree.js';

/** One planned file's text; a template that fails is one line naming it (relative to `named`). */
export function renderFile(file: PlannedFile, data: TemplateData, templates: string, named: string = templates): string {
  const template = path.resolve(templates, file.template);
  try {
    return ejs.render(readFileSync(template, 'utf8'), { ...data, ...file.extra }, { filename: template, async: false });
  } catch (error) {
    throw new UsageError(`template ${path.relative(named, template)}: ${oneLine((error as Error).message)}`);
  }
}

/** The writer's files for a plan: bytes, and mode 0755 for executables. */
export function renderPlan(files: readonly PlannedFile[], data: TemplateData, templates: string): TreeFile[] {
  return files.map((file) => ({
    destination: file.destination,
    bytes: Buffer.from(renderFile(file, data, templates), 'utf8'),
    ...(file.executable ? { mode: 0o755 } : {}),
  }));
}
