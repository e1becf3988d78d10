#!/usr/bin/env node
// The standalone bin: runs the generator without `yo`.
//   generator-dockergo [flags] [folder]  scaffold a new service (dockergo:app)
//   generator-dockergo docker [flags]    add container files to an existing module (dockergo:docker)
// Bad input prints one line and exits 1, with no stack trace and no file written.
import module from 'node:module';
import { fileURLToPath } from 'node:url';
import { INPUTS, SWITCHES } from '../generators/lib/inputs.js';

// Loading yeoman-environment is most of our start-up time; Node 22.1+ can cache its compiled code.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
const { prepareCommand } = await import('yeoman-environment');

const GENERATORS = {
  app: {
    resolved: fileURLToPath(new URL('../generators/app/index.js', import.meta.url)),
    namespace: 'dockergo:app',
    name: 'generator-dockergo',
    description: 'Scaffold a production-ready, containerised Go service (also: yo dockergo).',
  },
  docker: {
    resolved: fileURLToPath(new URL('../generators/docker/index.js', import.meta.url)),
    namespace: 'dockergo:docker',
    name: 'generator-dockergo docker',
    description: 'Add a Dockerfile, .dockerignore and build.sh to an existing Go module (also: yo dockergo:docker).',
  },
};

/** Errors we expect from users: print the message alone. Anything else is a bug: keep the stack. */
const USER_ERRORS = new Set(['InputError', 'UsageError']);

/** Exit status for a run stopped at a prompt (Ctrl-C), as a shell reports SIGINT. */
const CANCELLED = 130;
const PROMPT_ABORTS = new Set(['ExitPromptError', 'AbortPromptError', 'AbortError']);

async function main(argv: string[]): Promise<void> {
  if (argv.includes('--no-yes') && !process.stdin.isTTY) {
    // Prompts with no terminal to answer them: stop before anything is read or written.
    console.error('generator-dockergo: --no-yes asks questions, but stdin is not a terminal: nothing written; run it in a terminal, or drop --no-yes');
    process.exit(CANCELLED);
  }
  // Only the generator asked for is loaded: `generator-dockergo docker …` or the app.
  const which = argv[0] === 'docker' ? 'docker' : 'app';
  const generator = GENERATORS[which];
  const command = await prepareCommand({ resolved: generator.resolved, namespace: generator.namespace });
  command.name(generator.name).description(generator.description).exitOverride();
  if (which === 'app') {
    command.addHelpText('after', `\nCommands:\n  docker [options]      ${GENERATORS.docker.description}\n                        See: generator-dockergo docker --help`);
  }
  // A list input (--config) repeats: each use adds values. Commander's variadic default would
  // also swallow a following folder argument.
  for (const input of INPUTS.filter((i) => 'list' in i && i.list)) {
    const option = command.options.find((o) => o.long === `--${input.flag}`);
    if (!option) continue;
    option.variadic = false;
    option.argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
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

main(process.argv.slice(2)).catch((error: unknown) => {
  const err = error as { name?: string; message?: string; code?: string; exitCode?: number; stack?: string };
  if (err.code?.startsWith('commander.')) {
    // commander printed its own message (or the help, which exits 0).
    process.exit(err.exitCode ?? 1);
  }
  if (err.name && PROMPT_ABORTS.has(err.name)) {
    console.error('generator-dockergo: cancelled at a prompt: nothing written');
    process.exit(CANCELLED);
  }
  if (err.name && USER_ERRORS.has(err.name)) {
    // One line, whatever the message quotes (a JSON parse error quotes the input).
    console.error(`generator-dockergo: ${String(err.message).replace(/\s*[\r\n]+\s*/g, ' ')}`);
  } else {
    console.error(err.stack ?? String(error));
  }
  process.exit(1);
});
