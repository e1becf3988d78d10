#!/usr/bin/env node
// The standalone bin: runs the generator without `yo`.
//   generator-dockergo [flags] [folder]  scaffold a new service (dockergo:app)
//   generator-dockergo docker [flags]    add container files to an existing module (dockergo:docker)
//   generator-dockergo update [folder] [flags]  bring a generated project up to date (dockergo:update)
//   generator-dockergo fleet REPOS [flags]       check or update every project a list names
// Bad input prints one line and exits 1, with no stack trace and no file written.
import module from 'node:module';
import { fileURLToPath } from 'node:url';
import { existsSync, statSync } from 'node:fs';
import { escapeControls, isUserError, PROMPT_ABORTS, UsageError } from '../generators/lib/errors.js';
import { INPUTS, SWITCHES } from '../generators/lib/inputs/index.js';

// Loading yeoman-environment is most of our start-up time; Node 22.1+ can cache its compiled code.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
const { prepareCommand } = await import('yeoman-environment');

// Each generator is imported here, not by path through the environment, so that the published
// bin (dist/generator-dockergo.js, one bundled file) holds them.
const GENERATORS = {
  app: {
    load: () => import('../generators/app/index.js'),
    resolved: fileURLToPath(new URL('../generators/app/index.js', import.meta.url)),
    namespace: 'dockergo:app',
    name: 'generator-dockergo',
    description: 'Scaffold a production-ready, containerised Go service (also: yo dockergo).',
  },
  docker: {
    load: () => import('../generators/docker/index.js'),
    resolved: fileURLToPath(new URL('../generators/docker/index.js', import.meta.url)),
    namespace: 'dockergo:docker',
    name: 'generator-dockergo docker',
    description: 'Add a Dockerfile, .dockerignore and build.sh to an existing Go module (also: yo dockergo:docker).',
  },
};

const UPDATE_HELP = `Usage: generator-dockergo update [folder] [options]

Brings a project generator-dockergo made (dockergo:app or dockergo:docker) up to date with the
installed generator and preset, keeping the project's own edits: untouched files are rewritten,
edited ones get a three-way merge (git merge-file), new template files are added, and files the
templates no longer produce are removed when untouched. Any input flag (--port 9090, --preset …)
changes that answer on the way.

Options:
  --dry-run   print a unified diff of every change; write nothing
  --check     would update change anything? Each file with what update would do (update, merge,
              conflict, add, remove) and each file edited since it was generated; write nothing
  --json      with --check: the same as one JSON object on stdout (docs/update.md)
  any flag of generator-dockergo (or generator-dockergo docker) --help

Exit status: 0 up to date or updated cleanly, 1 error, 3 conflicts left for a person
(the files are listed; resolve the <<<<<<< markers, then commit); with --check, 2 when an
update is waiting.`;

/** Flags that take a value: the word after one is never the folder argument. */
const VALUE_FLAGS = new Set([
  ...INPUTS.filter((i) => !('boolean' in i && i.boolean)).map((i) => `--${i.flag}`),
  ...SWITCHES.filter((s) => s.value).map((s) => `--${s.flag}`),
]);

/** `update [folder] [flags]`: the folder (if any), and the flags without it. */
function splitUpdateArgs(args: string[]): { folder: string | undefined; rest: string[] } {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (VALUE_FLAGS.has(arg)) i++;
    else if (!arg.startsWith('-')) return { folder: arg, rest: [...args.slice(0, i), ...args.slice(i + 1)] };
  }
  return { folder: undefined, rest: args };
}

/**
 * Options yeoman-environment declares that do nothing in this generator: no answers cached in the
 * global config, no .yo-rc-global.json, no npm install, no .yo-resolve switch; conflicts are
 * refused in one line without prompts, and decided file by file with them.
 */
const YEOMAN_NOOPS = new Set(['skip-cache', 'local-config-only', 'whitespace', 'bail', 'skip-yo-resolve', 'force-install']);

/** What Yeoman's options that do work do here. */
const YEOMAN_DESCRIPTIONS: Readonly<Record<string, string>> = {
  'dry-run': 'Print every file that would be written, with a diff for a changed one; write nothing, run nothing (default: off)',
  force: 'Overwrite files that exist with other content, without asking (default: off)',
  'ask-answered': 'Ask again the questions that flags, an answers file or .yo-rc.json answered (default: off)',
  cwd: 'Run as if started in this folder (default: the current folder)',
};

/** Exit status for a run stopped at a prompt (Ctrl-C), as a shell reports SIGINT. */
const CANCELLED = 130;

async function main(argv: string[]): Promise<void> {
  if (argv[0] === 'fleet') {
    const { runFleet } = await import('../generators/lib/fleet/index.js');
    process.exitCode = await runFleet(argv.slice(1));
    return;
  }
  if (argv[0] === 'update') {
    if (argv.includes('--help') || argv.includes('-h')) {
      console.log(UPDATE_HELP);
      return;
    }
    const { folder, rest } = splitUpdateArgs(argv.slice(1));
    if (folder !== undefined) {
      if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new UsageError(`update: ${JSON.stringify(folder)} is not a folder`);
      process.chdir(folder);
    }
    const { updateTarget } = await import('../generators/lib/update/index.js');
    const { packageVersion } = await import('../generators/lib/package.js');
    const which = updateTarget(process.cwd(), packageVersion);
    return main([...(which === 'docker' ? ['docker'] : []), ...rest, '--update', '--yes']);
  }
  if (argv.includes('--no-yes') && !process.stdin.isTTY) {
    // Prompts with no terminal to answer them: stop before anything is read or written.
    console.error('generator-dockergo: --no-yes asks questions, but stdin is not a terminal: nothing written; run it in a terminal, or drop --no-yes');
    process.exit(CANCELLED);
  }
  // Only the generator asked for is loaded: `generator-dockergo docker …` or the app.
  const which = argv[0] === 'docker' ? 'docker' : 'app';
  const generator = GENERATORS[which];
  const { default: Generator } = await generator.load();
  const command = await prepareCommand({ generator: Generator as never, resolved: generator.resolved, namespace: generator.namespace });
  command.name(generator.name).description(generator.description).exitOverride();
  if (which === 'app') {
    command.addHelpText(
      'after',
      `\nCommands:\n  docker [options]      ${GENERATORS.docker.description}\n                        See: generator-dockergo docker --help` +
        `\n  update [folder]       Bring a generated project up to date with this generator and its preset, keeping your edits.\n                        See: generator-dockergo update --help` +
        `\n  fleet REPOS           Check or update every project a list of repositories names, pushing a branch to each.\n                        See: generator-dockergo fleet --help`,
    );
  }
  // A list input (--config) repeats: each use adds values. Commander's variadic default would
  // also swallow a following folder argument.
  for (const input of INPUTS.filter((i) => 'list' in i && i.list)) {
    const option = command.options.find((o) => o.long === `--${input.flag}`);
    if (!option) continue;
    option.variadic = false;
    option.argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
  }
  // Yeoman's own options: the ones that do nothing here are hidden, the others say what they do here.
  for (const option of command.options) {
    const flag = option.long?.slice(2) ?? '';
    if (YEOMAN_NOOPS.has(flag)) option.hidden = true;
    const description = YEOMAN_DESCRIPTIONS[flag];
    if (description) {
      option.description = description;
      option.defaultValue = undefined;
    }
  }
  // The environment declares --skip-install first, for npm; say what it skips here.
  for (const s of SWITCHES) {
    const option = command.options.find((o) => o.long === `--${s.flag}`);
    if (!option) continue;
    option.description = `${s.description} (default: ${s.defaultHelp})`;
    option.defaultValue = undefined;
  }
  await command.parseAsync(which === 'docker' ? argv.slice(1) : argv, { from: 'user' });
}

const argv = process.argv.slice(2);
main(argv).catch((error: unknown) => {
  const err = error as { name?: string; message?: string; code?: string; exitCode?: number; stack?: string };
  if (err.code?.startsWith('commander.')) {
    // commander printed its own message (or the help, which exits 0).
    process.exit(err.exitCode ?? 1);
  }
  if (err.name && PROMPT_ABORTS.has(err.name)) {
    console.error('generator-dockergo: cancelled at a prompt: nothing written');
    process.exit(CANCELLED);
  }
  if (isUserError(error)) {
    // One line, whatever the message quotes: control characters (a line break, ESC) as escapes.
    const line = escapeControls(String(err.message));
    console.error(`generator-dockergo: ${line}`);
    // update --check --json answers in JSON even when it cannot check.
    if (argv[0] === 'update' && argv.includes('--check') && argv.includes('--json')) console.log(JSON.stringify({ status: 'error', error: line }));
  } else {
    console.error(err.stack ?? String(error));
  }
  process.exit(1);
});
