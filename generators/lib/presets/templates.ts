// What a preset brings as files: its overlay templates (regular files inside its folder, each a
// destination the writer would take, each compiled before anything is written) and its CA bundle.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import ejs from 'ejs';
import { UsageError } from '../errors.js';
import { checkCaBundle } from '../rules/index.js';
import { contained, filesBelow, pathRule } from '../write/contain.js';

/** preset.json's caCerts: a regular file inside the preset folder (no link on the way), holding CA certificates alone. */
export function readCaBundle(dir: string, file: string, where: string): string {
  const field = `${where}: caCerts: ${JSON.stringify(file)}`;
  const relative = path.posix.normalize(file.replaceAll(path.sep, '/')).replace(/^\.\//, '');
  if (path.isAbsolute(file) || relative === '..' || relative.startsWith('../')) {
    throw new UsageError(`${field} is outside the preset folder: the bundle ships with the preset`);
  }
  if (contained(dir, relative, `${where}: caCerts`, { within: 'the preset folder' }).kind === 'none') {
    throw new UsageError(`${field}: no such file in the preset folder`);
  }
  const checked = checkCaBundle(readFileSync(path.join(dir, relative), 'utf8'));
  if (!checked.ok) throw new UsageError(`${field} ${checked.problem ?? 'is not valid'}: must be ${checked.rule}`);
  return checked.value;
}

/**
 * The overlay templates: templates/ must be a folder of regular files and folders, each a path
 * the generator could write (nothing in .git/), with no link anywhere (a link could point
 * anywhere, and readdir lists a linked folder as a file): the one containment check, per file.
 */
export function overlayFiles(dir: string, where: string): string[] {
  if (contained(dir, 'templates', `${where}: templates`, { within: 'the preset folder', expect: 'folder' }).kind === 'none') return [];
  const templates = path.join(dir, 'templates');
  for (const entry of readdirSync(templates, { recursive: true, withFileTypes: true })) {
    const rel = path.relative(templates, path.join(entry.parentPath, entry.name)).split(path.sep).join('/');
    const found = contained(dir, `templates/${rel}`, `${where}: templates/${rel}`, { within: 'the preset folder', expect: entry.isDirectory() ? 'folder' : 'file' });
    // Each file becomes a destination in the project: the writer's own rule, checked now rather than after 20 files were reported.
    const broken = found.kind === 'file' ? pathRule(rel.replace(/\.ejs$/, '')) : undefined;
    if (broken) throw new UsageError(`${where}: templates/${rel}: its destination ${JSON.stringify(rel.replace(/\.ejs$/, ''))} ${broken}`);
  }
  return filesBelow(templates);
}

/**
 * Compiles an EJS template without running it, so a syntax error stops the run before
 * anything is written, with the template's own line number.
 */
export function checkTemplateSyntax(file: string, label: string): void {
  const text = readFileSync(file, 'utf8');
  const open = unclosedTag(text);
  if (open !== undefined) throw new UsageError(`${label}:${open}: an EJS tag "<%" is never closed with "%>"`);
  let source: string;
  try {
    source = ejsSource(text, file);
  } catch (error) {
    throw new UsageError(`${label}: ${(error as Error).message.split('\n')[0]}`);
  }
  try {
    new vm.Script(`(function () {\n${source}\n})`, { filename: 'template.js' });
  } catch (error) {
    const generatedLine = Number(/template\.js:(\d+)/.exec(String((error as Error).stack))?.[1] ?? 0) - 1;
    const line = templateLine(source, generatedLine);
    throw new UsageError(`${label}:${line}: ${(error as Error).message}`);
  }
}

/** The line of the first "<%" with no "%>" after it, if any. */
function unclosedTag(text: string): number | undefined {
  let at = 0;
  for (;;) {
    const start = text.indexOf('<%', at);
    if (start < 0) return undefined;
    if (text.startsWith('<%%', start)) {
      at = start + 3;
      continue;
    }
    const end = text.indexOf('%>', start + 2);
    if (end < 0) return text.slice(0, start).split('\n').length;
    at = end + 2;
  }
}

// EJS's Template class turns the template into JS, marking each template line with `__line = N`.
function ejsSource(text: string, filename: string): string {
  const template = new (ejs as unknown as { Template: new (t: string, o: object) => { generateSource(): void; source: string } }).Template(
    text,
    { filename, compileDebug: true, strict: false, localsName: 'locals' },
  );
  template.generateSource();
  return template.source;
}

/** Maps a line of the generated source back to the template line marked before it. */
function templateLine(source: string, generatedLine: number): number {
  const lines = source.split('\n').slice(0, Math.max(generatedLine, 1));
  for (let i = lines.length - 1; i >= 0; i--) {
    const m = /__line = (\d+)/.exec(lines[i]!);
    if (m) return Number(m[1]);
  }
  return 1;
}
