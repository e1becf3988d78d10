// Inputs that come as files: JSON from outside (an answers file, .yo-rc.json, preset.json), parsed
// and bounded, and the answers file itself (`--answers FILE`, `-` for stdin).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { oneLine, UsageError } from '../errors.js';
import { checkInputs, type RawInputs, type RawValue } from './answers.js';
import { INPUTS, type Answers, type InputSpec } from './table.js';

/** How deep JSON from outside may nest: far more than any answers file, preset or .yo-rc.json needs. */
export const MAX_JSON_DEPTH = 64;

/**
 * JSON from outside (an answers file, .yo-rc.json, preset.json): parsed, and refused in one line
 * when it is not JSON or nests deeper than MAX_JSON_DEPTH (deeper values overflow the stack of
 * whatever walks them next).
 */
export function parseJson(text: string, where: string, fix = ''): unknown {
  // `fix`, when given, follows the parser's message: ": fix it, or delete it …".
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const why = oneLine((error as Error).message);
    throw new UsageError(fix ? `${where}: not valid JSON (${why})${fix}` : `${where}: not valid JSON: ${why}`);
  }
  // Walked with a stack of its own, not by recursion.
  const pending: [unknown, number][] = [[json, 1]];
  while (pending.length > 0) {
    const [value, depth] = pending.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > MAX_JSON_DEPTH) throw new UsageError(`${where}: nested deeper than ${MAX_JSON_DEPTH} levels: not a file this generator reads`);
    for (const child of Object.values(value)) pending.push([child, depth + 1]);
  }
  return json;
}

/** Standard input to its end, however slowly it comes (`jq … |`, `curl … |`). */
export async function readAllStdin(stream: NodeJS.ReadableStream = process.stdin): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * An answers file (`--answers FILE`, `-` for stdin): a JSON object keyed by input name
 * (as in .yo-rc.json) or flag name, checked like flags.
 */
export async function readAnswersFile(spec: string, cwd: string, readStdin: () => Promise<string>): Promise<Partial<Answers>> {
  const where = spec === '-' ? 'answers on stdin' : `answers file ${path.resolve(cwd, spec)}`;
  let text: string;
  try {
    // A UTF-8 byte-order mark, as some Windows editors save it, is not part of the JSON.
    text = (spec === '-' ? await readStdin() : readFileSync(path.resolve(cwd, spec), 'utf8')).replace(/^\uFEFF/, '');
  } catch (error) {
    throw new UsageError(`${where}: cannot read it: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const json = parseJson(text, where);
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new UsageError(`${where}: must be a JSON object keyed by input name`);
  const raw: RawInputs = {};
  for (const [key, value] of Object.entries(json)) {
    const spec = (INPUTS as readonly InputSpec[]).find((i) => i.key === key || i.flag === key);
    if (!spec) {
      const known = (INPUTS as readonly InputSpec[]).map((i) => i.key).join(', ');
      throw new UsageError(`${where}: unknown input ${JSON.stringify(key)} (known: ${known})`);
    }
    if (typeof value === 'number' && spec.key !== 'port') {
      // JSON.parse turns 1.30 into 1.3: the text the user wrote is gone, so ask for a string.
      throw new UsageError(`${where}: ${spec.key}: write it as a JSON string ("…"), not the number ${value}: a number loses trailing zeros (1.30 reads as 1.3)`);
    }
    raw[spec.key] = value as RawValue;
  }
  return checkInputs(raw, (s) => `${where}: ${s.key}`);
}
