// `update` without Yeoman, for `fleet`: the same steps as dockergo:app and dockergo:docker in update
// mode (sources, answers, the plan, prepareProject), in this process, in the folder given. Nothing is
// asked, nothing is printed: the caller gets each file's fate, or the check's verdict.
import { UsageError } from '../errors.js';
import { packageVersion } from '../package.js';
import { checkRecord, checkResult, checkUpdate, readProjectFile, readYoRc, updateTarget, type CheckResult, type FileUpdate, type GeneratorName, type Versions } from '../update/index.js';
import { appProject } from './app.js';
import { checkDockerAnswers, dockerProject, dockerResolve, pickProgram, scanDocker } from './docker.js';
import { prepareProject, updateProject, type ProjectRun } from './project.js';
import { loadSources, resolveAnswers } from './sources.js';

/** The folder holds no project generator-dockergo made: a status of its own in a fleet, not an error. */
export class NotAProjectError extends UsageError {}

export interface HeadlessResult {
  generator: GeneratorName;
  versions: Versions;
  /** What update would do (`check`), or did: each file's action, and whether it was edited. */
  check: CheckResult;
  /** An update: each file's fate (written into the folder). */
  plan?: FileUpdate[];
}

/**
 * Runs `update` (or `update --check`) in `root` with `options` as the flags (keyed by flag name,
 * as the bin's parser gives them). Throws a UsageError of one line for what `update` refuses.
 */
export async function updateHeadless(root: string, options: Record<string, unknown>, check: boolean): Promise<HeadlessResult> {
  const yoRc = readYoRc(root);
  const ours = yoRc?.['generator-dockergo'];
  if (typeof ours !== 'object' || ours === null || Array.isArray(ours)) {
    throw new NotAProjectError(yoRc === undefined ? 'no .yo-rc.json' : '.yo-rc.json holds no generator-dockergo answers');
  }
  const stored = ours as Record<string, unknown>;
  const which = updateTarget(root, packageVersion);
  const sources = await loadSources({ ...options, yes: true });
  const log = () => undefined;
  let project;
  if (which === 'app') {
    const { answers, preset } = await resolveAnswers({ name: 'app', root, stored, sources });
    const { data, plan } = appProject(answers, preset);
    project = { answers, preset, data, plan, options: {} };
  } else {
    const scan = scanDocker(root, stored);
    const program = await pickProgram(root, scan, { flag: options['main'], stored: stored['main'] }, false, () => Promise.resolve(''), log);
    const { answers, preset } = await resolveAnswers({ ...dockerResolve(scan, program, sources), name: 'docker', root, stored, sources });
    checkDockerAnswers(root, answers);
    const { data, plan, options: writeOptions } = dockerProject(answers, preset, scan, program, sources);
    project = { answers, preset, data, plan, options: writeOptions };
  }
  const run: ProjectRun = { answers: project.answers, preset: project.preset, root, stored, generatorName: which, dryRun: false, log };
  const prepared = prepareProject(run, project.plan, project.data, project.options);
  const { versions } = prepared;
  if (check) return { generator: which, versions, check: checkUpdate({ root, rendered: prepared.rendered, stored, writes: prepared.writes, versions }) };
  const plan = updateProject(run, prepared, 'generator-dockergo');
  // The verdict of what was done: the same shape as --check's, each file's action and whether it was edited.
  const record = checkRecord(stored['files'], prepared.writes);
  return { generator: which, versions, plan, check: checkResult(plan, record, (file) => readProjectFile(root, file), versions) };
}
