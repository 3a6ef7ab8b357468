// Command testreport turns `go test -json` output (on stdin) into a short
// report for CI: one line per package as it finishes, the full output of every
// failed test or broken build, and a closing line with the counts of every test
// and subtest, "<label>: N passed, N failed, N skipped". It exits non-zero when
// anything failed or when no test ran at all, so a suite that silently stopped
// running (every test skipped, nothing compiled) cannot pass.
//
// It lives under .ci/ so that `./...` (which skips dot directories) never
// builds it as part of the product; .ci/run builds it explicitly.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// event is one line of `go test -json` (cmd/test2json), including the
// build-output/build-fail actions that go 1.24+ emits for compile errors.
type event struct {
	Action     string
	Package    string
	ImportPath string
	Test       string
	Elapsed    float64
	Output     string
}

type report struct {
	out                     io.Writer
	passed, failed, skipped int
	failedTests             []string
	failedPkgs              []string
	buildFailed             bool
	// testOut buffers each running test's output, printed only if it fails.
	testOut map[string]*strings.Builder
	// pkgOut buffers package-level output (panics, TestMain, timeouts).
	pkgOut map[string]*strings.Builder
}

func main() {
	label := flag.String("label", "tests", "word printed before the closing counts")
	flag.Parse()
	r := &report{out: os.Stdout, testOut: map[string]*strings.Builder{}, pkgOut: map[string]*strings.Builder{}}
	if err := r.read(os.Stdin); err != nil {
		fmt.Fprintln(os.Stderr, "testreport:", err)
		os.Exit(2)
	}
	if !r.finish(*label) {
		os.Exit(1)
	}
}

func (r *report) read(in io.Reader) error {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 16<<20) // a test may print long lines
	for sc.Scan() {
		line := sc.Bytes()
		var ev event
		if len(line) == 0 || line[0] != '{' || json.Unmarshal(line, &ev) != nil {
			// Not an event (go vet output, a crash of the go command): show it.
			fmt.Fprintln(r.out, string(line))
			continue
		}
		r.handle(ev)
	}
	return sc.Err()
}

func (r *report) handle(ev event) {
	switch {
	case ev.Action == "build-output":
		fmt.Fprint(r.out, ev.Output)
	case ev.Action == "build-fail":
		r.buildFailed = true
	case ev.Test != "":
		r.handleTest(ev)
	default:
		r.handlePackage(ev)
	}
}

func (r *report) handleTest(ev event) {
	key := ev.Package + " " + ev.Test
	switch ev.Action {
	case "output":
		b := r.testOut[key]
		if b == nil {
			b = &strings.Builder{}
			r.testOut[key] = b
		}
		b.WriteString(ev.Output)
	case "pass":
		r.passed++
		delete(r.testOut, key)
	case "skip":
		r.skipped++
		delete(r.testOut, key)
	case "fail":
		r.failed++
		r.failedTests = append(r.failedTests, ev.Package+"."+ev.Test)
		if b := r.testOut[key]; b != nil {
			fmt.Fprint(r.out, b.String())
		}
		delete(r.testOut, key)
	}
}

func (r *report) handlePackage(ev event) {
	switch ev.Action {
	case "output":
		if strings.HasPrefix(ev.Output, "ok  ") || strings.HasPrefix(ev.Output, "FAIL\t") {
			fmt.Fprint(r.out, ev.Output)
			return
		}
		if strings.HasPrefix(ev.Output, "?   ") || ev.Output == "PASS\n" || ev.Output == "FAIL\n" {
			return // packages without tests, and the bare verdict lines
		}
		b := r.pkgOut[ev.Package]
		if b == nil {
			b = &strings.Builder{}
			r.pkgOut[ev.Package] = b
		}
		b.WriteString(ev.Output)
	case "fail":
		r.failedPkgs = append(r.failedPkgs, ev.Package)
		// A panic or timeout kills the binary mid-test: show what the tests
		// still running had printed, then the package's own output.
		prefix := ev.Package + " "
		keys := make([]string, 0)
		for k := range r.testOut {
			if strings.HasPrefix(k, prefix) {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprint(r.out, r.testOut[k].String())
			delete(r.testOut, k)
		}
		if b := r.pkgOut[ev.Package]; b != nil {
			fmt.Fprint(r.out, b.String())
		}
		delete(r.pkgOut, ev.Package)
	case "pass", "skip":
		delete(r.pkgOut, ev.Package)
	}
}

// finish prints the verdict and reports whether the run is green.
func (r *report) finish(label string) bool {
	ok := true
	if len(r.failedTests) > 0 {
		fmt.Fprintln(r.out, "\nfailed tests:")
		for _, t := range r.failedTests {
			fmt.Fprintln(r.out, "  "+t)
		}
		ok = false
	}
	if len(r.failedPkgs) > 0 {
		fmt.Fprintln(r.out, "\nfailed packages:")
		for _, p := range r.failedPkgs {
			fmt.Fprintln(r.out, "  "+p)
		}
		ok = false
	}
	if r.buildFailed {
		fmt.Fprintln(r.out, "\nsome packages did not compile (see above)")
		ok = false
	}
	if r.passed+r.failed == 0 {
		fmt.Fprintln(r.out, "\nno test ran")
		ok = false
	}
	fmt.Fprintf(r.out, "%s: %d passed, %d failed, %d skipped\n", label, r.passed, r.failed, r.skipped)
	return ok
}
