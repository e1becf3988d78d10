#!/usr/bin/env node
// The standalone bin: runs the generator without `yo`.
//   generator-dockergo [flags]          scaffold a new service (dockergo:app)
// Bad input prints one line and exits 1, with no stack trace and no file written.
import module from 'node:module';
import { fileURLToPath } from 'node:url';
import { SWITCHES } from '../generators/lib/inputs.js';

// Loading yeoman-environment is most of our start-up time; Node 22.1+ can cache its compiled code.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
const { prepareCommand } = await import('yeoman-environment');

const appGenerator = fileURLToPath(new URL('../generators/app/index.js', import.meta.url));

/** Errors we expect from users: print the message alone. Anything else is a bug: keep the stack. */
const USER_ERRORS = new Set(['InputError', 'UsageError']);

async function main(argv: string[]): Promise<void> {
  const command = await prepareCommand({ resolved: appGenerator, namespace: 'dockergo:app' });
  command
    .name('generator-dockergo')
    .description('Scaffold a production-ready, containerised Go service (also: yo dockergo).')
    .exitOverride();
  // The environment declares --skip-install first, for npm; say what it skips here.
  for (const s of SWITCHES) {
    const option = command.options.find((o) => o.long === `--${s.flag}`);
    if (!option) continue;
    option.description = `${s.description} (default: ${s.defaultHelp})`;
    option.defaultValue = undefined;
  }
  await command.parseAsync(argv, { from: 'user' });
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const err = error as { name?: string; message?: string; code?: string; exitCode?: number; stack?: string };
  if (err.code?.startsWith('commander.')) {
    // commander printed its own message (or the help, which exits 0).
    process.exit(err.exitCode ?? 1);
  }
  if (err.name && USER_ERRORS.has(err.name)) {
    console.error(`generator-dockergo: ${err.message}`);
  } else {
    console.error(err.stack ?? String(error));
  }
  process.exit(1);
});
