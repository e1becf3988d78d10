// What a run prints: a user's error as its one line (Yeoman's "An error occured" dropped), a new
// .yo-rc.json reported as created.
import path from 'node:path';
import type Generator from 'yeoman-generator';
import { isUserError, PROMPT_ABORTS } from '../errors.js';

const RUN_LOOP_ERROR = 'An error occured while running';

/**
 * Bad input must print one line. Yeoman's run loop logs "An error occured while running
 * <task>" before the error itself; this drops that line when the error is the user's (or a
 * prompt the user cancelled), and keeps it for bugs. Returns the function a task calls with what it caught.
 */
export function quietUserErrors(generator: Generator): (error: unknown) => never {
  let userError = false;
  const base = generator.log;
  const rethrow = (error: unknown): never => {
    // A cancelled prompt ends the run with the bin's one line, like a user error.
    userError = isUserError(error) || (error instanceof Error && PROMPT_ABORTS.has(error.name));
    throw error;
  };
  // A generator made only to list its options (--help) has no log.
  if (base === undefined) return rethrow;
  // `log` is declared readonly, but Yeoman assigns it per instance in the constructor.
  (generator as { log: typeof base }).log = new Proxy(base, {
    get(target, prop, receiver) {
      if (prop !== 'error') return Reflect.get(target, prop, receiver) as unknown;
      return (message: unknown, ...rest: unknown[]) => {
        if (userError && String(message).startsWith(RUN_LOOP_ERROR)) {
          userError = false;
          return target;
        }
        return (target.error as (...a: unknown[]) => unknown)(message, ...rest);
      };
    },
  });
  return rethrow;
}

/**
 * Yeoman marks .yo-rc.json "force" whatever the disk holds, which reads like an overwrite
 * on a first run: a new one is reported as "create", like every other new file.
 */
export function reportAsCreated(generator: Generator, file: string): void {
  const log = generator.env.adapter.log as unknown as Record<string, (path: string) => unknown>;
  const force = log['force']!;
  const relative = path.relative(process.cwd(), file);
  log['force'] = function (this: unknown, shown: string) {
    return (shown === relative ? log['create']! : force).call(this, shown);
  };
}

/** After a dry run: what was not done, and what ran to show the files (a preset's templates are code). */
export function dryRunReport(presetSpec: string | undefined, presetOverlays: number): string {
  const ran = presetSpec !== undefined && presetOverlays > 0
    ? `nothing was written, and neither git nor go was run; preset ${presetSpec}'s templates were run to render the files above (a preset is code: see "What the generator trusts")`
    : 'nothing was written and nothing was run';
  return `\n--dry-run: ${ran}. Without --dry-run, the files above are written.\n`;
}

/** Runs a helper tool; a missing or failing tool is a warning, never a failed scaffold. */
export async function runTool(generator: Generator, command: string, args: string[]): Promise<void> {
  const result = await generator.spawn(command, args, { cwd: generator.destinationPath(), reject: false, stdio: 'inherit' });
  if (result.exitCode !== 0) {
    const why = result.exitCode === undefined ? result.shortMessage : `exit ${result.exitCode}`;
    generator.log.info(`\`${command} ${args.join(' ')}\` did not succeed (${why}); run it yourself`);
  }
}
