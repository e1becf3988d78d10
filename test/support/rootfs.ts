// Looking inside an image's root file system.
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Every regular file below root, as absolute paths inside the image ("/etc/x"). */
export function imageFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = path.posix.join(dir, entry.name);
      if (entry.isDirectory()) walk(rel);
      else if (entry.isFile()) out.push(rel);
    }
  };
  walk('/');
  return out;
}

/** Image paths of the files whose bytes contain `needle`. */
export function filesContaining(root: string, needle: string): string[] {
  const bytes = Buffer.from(needle);
  return imageFiles(root).filter((file) => {
    const full = path.join(root, file);
    return lstatSync(full).size >= bytes.length && readFileSync(full).includes(bytes);
  });
}

export function existsInImage(root: string, file: string): boolean {
  try {
    lstatSync(path.join(root, file));
    return true;
  } catch {
    return false;
  }
}
