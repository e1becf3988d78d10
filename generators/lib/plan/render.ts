// Rendering is pure: a plan and the template data in, the files' bytes out. A fresh run, a re-run,
// --dry-run, `update` and the tests all render through renderPlan, so each gets byte for byte the
// same output.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ejs from 'ejs';
import { oneLine, UsageError } from '../errors.js';
import type { PlannedFile } from '../write/plan.js';
import type { TreeFile } from '../write/tree.js';
import type { TemplateData } from './types.js';

/** A planned file's bytes, as the writer takes them (mode 0755 for an executable). */
export interface RenderedFile extends TreeFile {
  bytes: Buffer;
  /** Whether the project's record names it (a kept-once file, a config stub, is not recorded). */
  recorded: boolean;
}

export interface RenderOptions {
  /** The folder a failing template is named relative to (a preset's, when it has overlays). */
  named?: string;
  /** Whether a file exists in the project already: a keepExisting file that does is left out. */
  exists?: (destination: string) => boolean;
}

/** One planned file's text; a template that fails is one line naming it (relative to `named`). */
export function renderFile(file: PlannedFile, data: TemplateData, templates: string, named: string = templates): string {
  const template = path.resolve(templates, file.template);
  try {
    return ejs.render(readFileSync(template, 'utf8'), { ...data, ...file.extra }, { filename: template, async: false });
  } catch (error) {
    throw new UsageError(`template ${path.relative(named, template)}: ${oneLine((error as Error).message)}`);
  }
}

/** The plan's files as bytes, in plan order; a keepExisting file that exists is not rendered. */
export function renderPlan(
  files: readonly PlannedFile[],
  data: TemplateData,
  templates: string,
  { named = templates, exists = () => false }: RenderOptions = {},
): RenderedFile[] {
  return files
    .filter((file) => !(file.keepExisting && exists(file.destination)))
    .map((file) => ({
      destination: file.destination,
      bytes: Buffer.from(renderFile(file, data, templates, named), 'utf8'),
      ...(file.executable ? { mode: 0o755 } : {}),
      recorded: !file.keepExisting,
    }));
}
