// What a daemon the tests start adds to the host's network, and its removal when it stops: rules
// and chains in iptables and ip6tables, a built-in chain's policy, network links, IP forwarding,
// and the netns and CNI cache folders. Docker Engine (docker0, the DOCKER* chains, FORWARD's policy, ip_forward), podman's
// CNI network (cni-podman0, the CNI-* chains) and the test cluster (KUBE-*, CNI-HOSTPORT-*) leave
// them behind when they stop. Only what appeared while the daemon ran and carries its own names
// (the `owned` pattern) is removed: a rule or link anyone else added stays.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execa } from 'execa';

const BUILTIN = new Set(['INPUT', 'OUTPUT', 'FORWARD', 'PREROUTING', 'POSTROUTING']);
const FORWARDING = ['/proc/sys/net/ipv4/ip_forward', '/proc/sys/net/ipv6/conf/all/forwarding'];

interface Table {
  /** Chain name to its policy ("-" for a chain of our own). */
  chains: Map<string, string>;
  /** "-A CHAIN …" lines, in order. */
  rules: string[];
}

/** `iptables-save` (or ip6tables-save) by table; {} where the command is missing. */
async function save(bin: 'iptables' | 'ip6tables'): Promise<Map<string, Table>> {
  const out = await execa(`${bin}-save`, [], { reject: false }).catch(() => undefined);
  const tables = new Map<string, Table>();
  let table: Table | undefined;
  for (const line of String(out?.stdout ?? '').split('\n')) {
    if (line.startsWith('*')) tables.set(line.slice(1), (table = { chains: new Map(), rules: [] }));
    else if (table && line.startsWith(':')) {
      const [name, policy] = line.slice(1).split(' ');
      table.chains.set(name!, policy!);
    } else if (table && line.startsWith('-A ')) table.rules.push(line);
  }
  return tables;
}

/** A rule line as the arguments it was saved from: words, and double-quoted strings with \" and \\. */
export function ruleWords(line: string): string[] {
  const words: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (const m of line.matchAll(re)) words.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]!);
  return words;
}

async function links(): Promise<Set<string>> {
  const out = await execa('ip', ['-o', 'link', 'show'], { reject: false });
  return new Set(String(out.stdout).split('\n').map((l) => /^\d+: ([^:@]+)/.exec(l)?.[1]).filter((n): n is string => n !== undefined));
}

/**
 * Host folders a container network makes and leaves: the netns folder (podman bind-mounts it onto
 * itself), and libcni's result cache (not configurable). Removed after, when the mark did not find them.
 */
const NETWORK_FOLDERS = ['/run/netns', '/var/lib/cni'];

function mountedAt(dir: string): boolean {
  return readFileSync('/proc/self/mountinfo', 'utf8').split('\n').some((line) => line.split(' ')[4] === dir);
}

export interface NetworkMark {
  /** Removes what appeared since the mark and matches `owned`, and puts back policies and forwarding. */
  restore(owned: RegExp): Promise<void>;
}

/** Marks the host's network state now, before a daemon starts. */
export async function markNetwork(): Promise<NetworkMark> {
  const before = { iptables: await save('iptables'), ip6tables: await save('ip6tables'), links: await links() };
  const forwarding = FORWARDING.filter(existsSync).map((file) => [file, readFileSync(file, 'utf8')] as const);
  const absentFolders = NETWORK_FOLDERS.filter((dir) => !existsSync(dir));
  return {
    async restore(owned) {
      for (const bin of ['iptables', 'ip6tables'] as const) {
        const now = await save(bin);
        for (const [name, table] of now) {
          const old = before[bin].get(name) ?? { chains: new Map<string, string>(), rules: [] };
          const run = (args: string[]) => execa(bin, ['-w', '-t', name, ...args], { reject: false });
          // Rules first (a chain that a rule jumps to cannot go), newest first.
          const added = table.rules.filter((r) => !old.rules.includes(r) && owned.test(r));
          for (const rule of added.reverse()) await run(['-D', ...ruleWords(rule).slice(1)]);
          const chains = [...table.chains.keys()].filter((c) => !old.chains.has(c) && !BUILTIN.has(c) && owned.test(c));
          for (const chain of chains) await run(['-F', chain]);
          for (const chain of chains) await run(['-X', chain]);
          for (const [chain, policy] of table.chains) {
            const was = old.chains.get(chain) ?? 'ACCEPT';
            if (BUILTIN.has(chain) && policy !== was) await run(['-P', chain, was]);
          }
        }
      }
      for (const link of await links()) {
        if (!before.links.has(link) && owned.test(link)) await execa('ip', ['link', 'delete', link], { reject: false });
      }
      for (const [file, value] of forwarding) if (readFileSync(file, 'utf8') !== value) writeFileSync(file, value);
      for (const dir of absentFolders) {
        if (!existsSync(dir)) continue;
        // A network namespace still in use keeps its folder: only an empty one goes.
        if (dir === '/run/netns' && readdirSync(dir).length > 0) continue;
        if (mountedAt(dir)) await execa('umount', ['-l', dir], { reject: false });
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
