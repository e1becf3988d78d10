// dockergo:app's plan, as a function the Yeoman class and a headless update (headless.ts) both run:
// the template data and the files of a new project, and the notes.
import type { Answers } from '../inputs/index.js';
import { packageVersion } from '../package.js';
import { projectFiles, toTemplateData, type PlannedFile, type TemplateData } from '../plan/index.js';
import type { Preset } from '../presets/index.js';
import { isPrivilegedPort } from '../rules/index.js';
import { presetData } from './sources.js';

export function appProject(answers: Answers, preset: Preset | undefined): { data: TemplateData; plan: PlannedFile[]; notes: string[] } {
  const notes: string[] = [];
  if (answers.kind === 'service' && isPrivilegedPort(answers.port)) {
    notes.push(`port ${answers.port} is below 1024: a non-root process (this image runs as 65532) cannot bind it on Kubernetes or rootless engines`);
  }
  const data = toTemplateData(answers, { generatorVersion: packageVersion, ...presetData(preset) });
  return { data, plan: projectFiles(data), notes };
}
