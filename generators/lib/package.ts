// This package itself: its folder, its templates and its version, from the nearest package.json
// that is ours. It imports nothing of ours, so every room may ask.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * This package's folder (with a trailing separator) and version: from the nearest package.json
 * above this module that is ours. This module runs from generators/lib/ and, bundled, from dist/.
 */
function findPackage(from: string): { root: string; version: string } {
  for (let dir = path.dirname(from); ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file)) {
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version: string };
      if (manifest.name === 'generator-dockergo') return { root: dir + path.sep, version: manifest.version };
    }
    if (path.dirname(dir) === dir) throw new Error(`internal: no generator-dockergo package.json above ${from}`);
  }
}

const ownPackage = findPackage(fileURLToPath(import.meta.url));
export const packageRoot = ownPackage.root;
export const templatesRoot = path.join(packageRoot, 'templates') + path.sep;
export const packageVersion: string = ownPackage.version;
