// Existing Go modules, written by the tests, for dockergo:docker to containerise.
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { listFiles, tempDir } from './project.js';

/** A main package that serves HTTP and has a -healthcheck flag, as dockergo:docker looks for. */
export const SERVICE_MAIN = `package main

import (
	"flag"
	"fmt"
	"net/http"
)

func main() {
	healthcheck := flag.Bool("healthcheck", false, "probe")
	flag.Parse()
	if *healthcheck {
		return
	}
	http.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	_ = http.ListenAndServe(":8080", nil)
}
`;

/** A module of the given files in a new temporary folder. */
export function writeModule(files: Record<string, string>): string {
  const dir = tempDir('module-');
  write(dir, files);
  return dir;
}

function write(dir: string, files: Record<string, string>): void {
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
}

/**
 * A service with its main package at the root, a real third-party dependency (go.sum), an
 * internal package and an embedded file, and no -healthcheck flag.
 */
export async function greeterModule(): Promise<string> {
  const dir = tempDir('legacy-greeter-');
  write(dir, {
    'go.mod': 'module example.com/legacy/greeter\n\ngo 1.26\n',
    'main.go': `package main

import (
	_ "embed"
	"log"
	"net/http"
	"os"

	"example.com/legacy/greeter/internal/greet"
	"github.com/google/uuid"
)

//go:embed static/index.html
var index []byte

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	id := uuid.NewString()
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Instance", id)
		w.Write(index)
	})
	http.HandleFunc("/hello", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(greet.Hello(r.URL.Query().Get("name"))))
	})
	log.Fatal(http.ListenAndServe(":"+port, nil))
}
`,
    'internal/greet/greet.go': 'package greet\n\n// Hello greets name.\nfunc Hello(name string) string { return "hello, " + name }\n',
    'internal/greet/greet_test.go': 'package greet\n\nimport "testing"\n\nfunc TestHello(t *testing.T) {\n\tif Hello("x") != "hello, x" {\n\t\tt.Fatal(Hello("x"))\n\t}\n}\n',
    'static/index.html': '<h1>greeter</h1>\n',
    'README.md': '# greeter\n',
  });
  await execa('go', ['get', 'github.com/google/uuid@v1.6.0'], { cwd: dir });
  await execa('go', ['mod', 'tidy'], { cwd: dir });
  return dir;
}

/** cmd/api (a service with -healthcheck and -config flags) and cmd/worker (a cli), and a Makefile of its own. */
export function shopModule(): string {
  const dir = tempDir('legacy-shop-');
  write(dir, {
    'go.mod': 'module example.com/legacy/shop\n\ngo 1.26\n',
    'cmd/api/main.go': `package main

import (
	"flag"
	"fmt"
	"net/http"
	"os"

	"example.com/legacy/shop/internal/store"
)

func main() {
	healthcheck := flag.Bool("healthcheck", false, "probe /healthz and exit")
	config := flag.String("config", "", "config file")
	flag.Parse()
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	if *healthcheck {
		resp, err := http.Get("http://127.0.0.1:" + port + "/healthz")
		if err != nil || resp.StatusCode != http.StatusOK {
			os.Exit(1)
		}
		os.Exit(0)
	}
	if *config != "" {
		if _, err := os.ReadFile(*config); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	http.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, "ok") })
	http.HandleFunc("/items", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, store.Count()) })
	http.ListenAndServe(":"+port, nil)
}
`,
    'cmd/worker/main.go': 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("worked") }\n',
    'internal/store/store.go': 'package store\n\n// Count is how many items there are.\nfunc Count() int { return 3 }\n',
    'Makefile': 'all:\n\tgo build ./...\n',
  });
  return dir;
}

/** sha256 of every .go file, go.mod and go.sum: what dockergo:docker must never change. */
export function goSources(dir: string): Record<string, string> {
  return Object.fromEntries(
    listFiles(dir)
      .filter((f) => /(^|\/)(go\.mod|go\.sum|[^/]*\.go)$/.test(f))
      .map((f) => [f, createHash('sha256').update(readFileSync(path.join(dir, f))).digest('hex')]),
  );
}

/** Each module@version's folder in the Go module cache, downloaded once per run (the cache keeps it across runs). */
const downloads = new Map<string, Promise<string>>();

/**
 * A writable copy (the module cache is read-only), in a new temporary folder, of a module from
 * the Go module proxy, as a repository's checkout would be; `folder` names the copy.
 */
export async function checkoutModule(module: string, version: string, folder: string): Promise<string> {
  const key = `${module}@${version}`;
  if (!downloads.has(key)) {
    const download = execa('go', ['mod', 'download', '-json', key], { env: { GOFLAGS: '-mod=mod' } });
    downloads.set(key, download.then((r) => (JSON.parse(r.stdout) as { Dir: string }).Dir));
  }
  const dir = path.join(tempDir('corpus-'), folder);
  cpSync(await downloads.get(key)!, dir, { recursive: true });
  const writable = (p: string): void => {
    chmodSync(p, statSync(p).mode | 0o200);
    if (statSync(p).isDirectory()) for (const e of readdirSync(p)) writable(path.join(p, e));
  };
  writable(dir);
  return dir;
}
