// The flag table of docs/usage.md, made from the input table so the two cannot drift apart.
import { INPUTS, SWITCHES, type InputSpec } from './table.js';

export const TABLE_START = '<!-- flags:start (generated from generators/lib/inputs/table.ts by `npm run docs`) -->';
export const TABLE_END = '<!-- flags:end -->';

const cell = (text: string): string => text.replaceAll('|', '\\|');

export function flagTable(): string {
  const rows = [
    '| flag | prompt | default | meaning |',
    '|---|---|---|---|',
    ...(INPUTS as readonly InputSpec[]).map(
      (i) => `| \`--${i.boolean ? `[no-]${i.flag}` : i.flag}\`${i.list ? ' (repeatable)' : ''}${i.appOnly ? ' (app only)' : ''} | ${i.prompt ? (i.promptIn ? `asked by dockergo:${i.promptIn}` : 'asked') : 'flag only'} | ${cell(i.defaultHelp)} | ${cell(i.description)} |`,
    ),
    ...SWITCHES.map(
      (s) => `| ${s.alias ? `\`-${s.alias}\`, ` : ''}\`--${s.flag}${s.value ? ` ${s.value}` : ''}\`${s.only ? ` (${s.only} only)` : ''} | flag only | ${cell(s.defaultHelp)} | ${cell(s.description)} |`,
    ),
  ];
  return rows.join('\n');
}

/** A page with its flag table replaced by the current one. */
export function withFlagTable(page: string): string {
  const start = page.indexOf(TABLE_START);
  const end = page.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error('the page has no flag table markers');
  return `${page.slice(0, start + TABLE_START.length)}\n${flagTable()}\n${page.slice(end)}`;
}
