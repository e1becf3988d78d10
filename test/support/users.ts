// Who the tests run programs as: an unprivileged user (root passes every permission check, so
// read-only means nothing to it), and the git identity their commits carry.
export const NOBODY = 65534;

export const GIT_ENV = { GIT_AUTHOR_NAME: 'dev', GIT_AUTHOR_EMAIL: 'dev@example.com', GIT_COMMITTER_NAME: 'dev', GIT_COMMITTER_EMAIL: 'dev@example.com' };

/**
 * The command and arguments that run `command` as NOBODY (no supplementary groups), with `env`
 * set. Without env, setpriv execs the command itself: it can still start a program in a folder
 * only root may enter (CI's Node 24 lives in a mktemp folder), which `env` as NOBODY cannot.
 */
export function asNobody(command: readonly string[], env: Readonly<Record<string, string>> = {}): [string, string[]] {
  const assignments = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  return ['setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', ...(assignments.length > 0 ? ['env', ...assignments] : []), ...command]];
}
