// What fleet says: a progress line on a terminal, a table in the order of REPOS at the end, the same
// as JSON (--report FILE, docs/fleet.md), and the exit status the statuses make.
import path from 'node:path';
import { escapeControls } from '../errors.js';
import { versionText } from '../update/index.js';
import { writeTree } from '../write/tree.js';
import type { RepoReport } from './repo.js';

/** 1 when any repository had an error, else 3 when any had conflicts, else 2 when any is behind (--check), else 0. */
export function fleetExit(reports: readonly RepoReport[]): number {
  if (reports.some((r) => r.status === 'error')) return 1;
  if (reports.some((r) => r.status === 'conflicts')) return 3;
  if (reports.some((r) => r.status === 'behind')) return 2;
  return 0;
}

/** The table, one row per repository: repository, status, versions, then the files or the error. */
export function reportTable(reports: readonly RepoReport[]): string {
  const rows = reports.map((r) => [
    r.repository,
    r.status,
    r.generator ? versionText({ generator: r.generator, preset: r.preset ?? null, status: 'current', files: [] }) : '',
    r.error ?? (r.files ?? []).filter((f) => f.action !== 'none').map((f) => `${f.action} ${f.path}`).join(', '),
  ]);
  const header = ['repository', 'status', 'versions', 'files or error'];
  const widths = header.map((h, i) => Math.min(60, Math.max(h.length, ...rows.map((row) => row[i]!.length))));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].map(escapeControls).join('\n');
}

/** The summary after the table: how many of each status. */
export function reportSummary(reports: readonly RepoReport[]): string {
  const counts = new Map<string, number>();
  for (const r of reports) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  return `fleet: ${reports.length} repositor${reports.length === 1 ? 'y' : 'ies'}: ${[...counts].map(([s, n]) => `${n} ${s}`).join(', ') || 'none'}`;
}

export interface FleetReport {
  generator: string;
  check: boolean;
  branch: string;
  shard: string | null;
  repositories: readonly RepoReport[];
}

/** --report FILE, through the one writer (FILE's folder is its root). */
export function writeReport(file: string, report: FleetReport): void {
  const absolute = path.resolve(file);
  writeTree(path.dirname(absolute), { files: [{ destination: path.basename(absolute), bytes: `${JSON.stringify(report, null, 2)}\n` }] });
}

/** A progress line for a terminal: rewritten in place. */
export function progress(done: number, total: number, last: RepoReport | undefined): string {
  const tail = last ? `  ${last.repository}: ${last.status}` : '';
  return `\r\x1b[2K[${done}/${total}]${escapeControls(tail).slice(0, 100)}`;
}
