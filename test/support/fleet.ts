// A platform team's fleet, for the fleet suite and benchmark: its preset (v2 adds a label, so the
// Dockerfile changes, and a file, with a changelog line) and a project published on the git server.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import type { GitServer } from './git-server.js';
import { GIT_ENV } from './users.js';

export const FLEET_PRESET = '@acme/fleet-preset';

/** Writes version 1 or 2 of the preset into `modules` (a node_modules folder, for NODE_PATH). */
export function writeFleetPreset(modules: string, version: 1 | 2): void {
  const dir = path.join(modules, FLEET_PRESET);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'templates/deploy'), { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: FLEET_PRESET, version: `${version}.0.0` }));
  const labels = { 'com.acme.team': 'payments', ...(version === 2 ? { 'com.acme.tier': 'gold' } : {}) };
  writeFileSync(path.join(dir, 'preset.json'), JSON.stringify({ labels, changelog: { '2.0.0': 'every image says its tier' } }));
  if (version === 2) writeFileSync(path.join(dir, 'templates/deploy/tier.yaml.ejs'), 'tier: gold\nname: <%- name %>\n');
}

/** Makes repository NAME on the server from `dir` (a project folder): committed, main pushed. */
export async function publishProject(server: GitServer, name: string, dir: string, env: Record<string, string>): Promise<void> {
  const git = (args: string[]) => execa('git', args, { cwd: dir, env: { ...env, ...GIT_ENV } });
  await server.create(name);
  await git(['init', '--quiet', '--initial-branch=main']);
  await git(['add', '-A']);
  await git(['commit', '--quiet', '-m', 'generated']);
  await git(['push', '--quiet', `${server.url}${name}.git`, 'main']);
}
