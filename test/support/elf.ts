// Just enough ELF to tell a static binary from a dynamic one, and for which machine.
import { readFileSync } from 'node:fs';

export interface ElfInfo {
  machine: 'x86-64' | 'aarch64' | `other(${number})`;
  /** True when the binary names no program interpreter (no dynamic loader): a static binary. */
  isStatic: boolean;
}

const PT_INTERP = 3;
const PT_DYNAMIC = 2;

export function readElf(file: string): ElfInfo {
  const buf = readFileSync(file);
  if (buf.readUInt32BE(0) !== 0x7f454c46) throw new Error(`${file} is not an ELF file`);
  if (buf[4] !== 2 || buf[5] !== 1) throw new Error(`${file} is not a 64-bit little-endian ELF file`);
  const eMachine = buf.readUInt16LE(18);
  const phoff = Number(buf.readBigUInt64LE(32));
  const phentsize = buf.readUInt16LE(54);
  const phnum = buf.readUInt16LE(56);
  let isStatic = true;
  for (let i = 0; i < phnum; i++) {
    const type = buf.readUInt32LE(phoff + i * phentsize);
    if (type === PT_INTERP || type === PT_DYNAMIC) isStatic = false;
  }
  const machine = eMachine === 62 ? 'x86-64' : eMachine === 183 ? 'aarch64' : (`other(${eMachine})` as const);
  return { machine, isStatic };
}
