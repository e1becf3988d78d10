// Module: reading an existing Go module for dockergo:docker. go.mod (gomod.ts); the go command's own
// view of its packages (golist.ts), so build constraints count as they do for `go build`; its main
// packages and the allow-list its build context needs (scan.ts); the chosen program's dependency
// graph, refused in one line where the image build would fail (inspect.ts, with versionvars.go); and
// the choice of program, its config files and the notes on what could not be learnt (main.ts).
// Built on rules/ and write/; it reads the disk and runs `go`, and writes nothing but scratch files.
export * from './gomod.js';
export * from './inspect.js';
export * from './main.js';
export * from './scan.js';
export type { ListedPackage } from './golist.js';
