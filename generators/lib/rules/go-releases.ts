// The Go releases this generator knows, so that a version that does not exist (2.0, 1.30,
// 1.26.99) is refused before it becomes a builder tag nobody publishes. Source: the Go module
// proxy's golang.org/toolchain versions (every Go release is published there), checked on the
// date below. Add each new release here; a newer one is refused with a rule that says how
// far this table goes.
export const RELEASES_CHECKED = '2026-11-25';

/** The newest patch release of each supported-by-us minor (1.22 on: the generated code's routing needs it). */
export const LATEST_PATCH: Readonly<Record<number, number>> = {
  22: 12,
  23: 12,
  24: 13,
  25: 14,
  26: 11,
  27: 4,
};

export const OLDEST_MINOR = Math.min(...Object.keys(LATEST_PATCH).map(Number));
export const NEWEST_MINOR = Math.max(...Object.keys(LATEST_PATCH).map(Number));

/**
 * The pre-releases of each minor, as the proxy serves them (golang.org/toolchain@v0.0.1-go1.27rc1…):
 * "1.27rc1" is a release, "1.22rc9" and "1.22beta1" are not. No beta has shipped since 1.18.
 */
export const PRERELEASES: Readonly<Record<number, readonly string[]>> = {
  22: ['rc1', 'rc2'],
  23: ['rc1'],
  24: ['rc1', 'rc2', 'rc3'],
  25: ['rc1', 'rc2', 'rc3'],
  26: ['rc1', 'rc2'],
  27: ['rc1', 'rc2', 'rc3'],
};
