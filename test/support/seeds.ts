// The seeds a property test runs with: a fixed one, and a fresh one each run (printed, so that a
// failure replays with DOCKERGO_SEED=<seed>). DOCKERGO_FIXED_SEEDS=1 runs the fixed one alone: CI's
// second pass, on another Node, then tests the same inputs twice rather than new ones once.
export function seeds(fixed: number): { seeds: number[]; line: string } {
  if (process.env['DOCKERGO_FIXED_SEEDS'] === '1') return { seeds: [fixed], line: `seed: fixed ${fixed} (DOCKERGO_FIXED_SEEDS=1)` };
  const fresh = process.env['DOCKERGO_SEED'] ? Number(process.env['DOCKERGO_SEED']) : Date.now() % 2 ** 31;
  return { seeds: [fixed, fresh], line: `seeds: fixed ${fixed}, fresh ${fresh} (replay with DOCKERGO_SEED=<seed>)` };
}
