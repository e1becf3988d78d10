// Command versionvars finds the package-level string variables named "version" (in any
// case) that `go build -ldflags -X` can set: of type string, and either not initialised or
// initialised to a string literal or to a string constant of the package (the linker's -X
// has no effect on any other initialiser).
//
// It reads a JSON array of {"pkg": import path, "files": [absolute paths]} on standard input
// and prints a JSON array of {"pkg", "name", "pos"}: one entry for each such variable.
package main

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"strings"
)

type pkg struct {
	Pkg   string   `json:"pkg"`
	Files []string `json:"files"`
}

type found struct {
	Pkg  string `json:"pkg"`
	Name string `json:"name"`
	Pos  string `json:"pos"`
}

func main() {
	var pkgs []pkg
	if err := json.NewDecoder(os.Stdin).Decode(&pkgs); err != nil {
		fmt.Fprintln(os.Stderr, "versionvars:", err)
		os.Exit(2)
	}
	fset := token.NewFileSet()
	out := []found{}
	for _, p := range pkgs {
		out = append(out, find(fset, p)...)
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		os.Exit(2)
	}
}

// find returns the package's version variables that -X can set.
func find(fset *token.FileSet, p pkg) []found {
	var out []found
	files := parse(fset, p.Files)
	consts := stringConsts(files)
	for _, f := range files {
		for _, spec := range versionSpecs(f, consts) {
			for _, name := range spec.Names {
				if strings.EqualFold(name.Name, "version") {
					out = append(out, found{Pkg: p.Pkg, Name: name.Name, Pos: fset.Position(name.Pos()).String()})
				}
			}
		}
	}
	return out
}

// parse parses the files; one the compiler would refuse too is left to the build to report.
func parse(fset *token.FileSet, paths []string) []*ast.File {
	var files []*ast.File
	for _, path := range paths {
		if f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution); err == nil {
			files = append(files, f)
		}
	}
	return files
}

// stringConsts returns the names of the package-level constants set to a string literal.
func stringConsts(files []*ast.File) map[string]bool {
	consts := map[string]bool{}
	for _, f := range files {
		for _, spec := range specs(f, token.CONST) {
			if len(spec.Values) != len(spec.Names) || (spec.Type != nil && !isString(spec.Type)) {
				continue
			}
			for i, name := range spec.Names {
				if lit, ok := spec.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
					consts[name.Name] = true
				}
			}
		}
	}
	return consts
}

// specs returns the file's package-level value specs of one kind (var or const).
func specs(f *ast.File, tok token.Token) []*ast.ValueSpec {
	var out []*ast.ValueSpec
	for _, decl := range f.Decls {
		if gen, ok := decl.(*ast.GenDecl); ok && gen.Tok == tok {
			for _, s := range gen.Specs {
				out = append(out, s.(*ast.ValueSpec))
			}
		}
	}
	return out
}

func isString(expr ast.Expr) bool {
	id, ok := expr.(*ast.Ident)
	return ok && id.Name == "string"
}

// versionSpecs returns the file's package-level var specs that -X can set.
func versionSpecs(f *ast.File, consts map[string]bool) []*ast.ValueSpec {
	var out []*ast.ValueSpec
	for _, spec := range specs(f, token.VAR) {
		if stampable(spec, consts) {
			out = append(out, spec)
		}
	}
	return out
}

// stampable reports whether -X can set the spec's variables: strings, initialised by
// nothing, or by string literals and string constants only.
func stampable(spec *ast.ValueSpec, consts map[string]bool) bool {
	if spec.Type != nil && !isString(spec.Type) {
		return false
	}
	for _, v := range spec.Values {
		switch v := v.(type) {
		case *ast.BasicLit:
			if v.Kind != token.STRING {
				return false
			}
		case *ast.Ident:
			if !consts[v.Name] {
				return false
			}
		default:
			return false
		}
	}
	return true
}
