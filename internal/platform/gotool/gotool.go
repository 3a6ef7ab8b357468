// Package gotool finds the pinned Go programs the tests start on loopback
// (mailpit for e-mail, stripe-mock for the Stripe provider): the path an
// environment variable names (.ci/run sets it after installing the pin
// into its cache), else a copy installed once with `go install` into the
// user's cache directory, one folder per version.
package gotool

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// Binary returns the path of the program name built from module at
// version: $envVar when set (it must exist), else the cached install,
// installing it first when missing.
func Binary(envVar, module, version, name string) (string, error) {
	if b := os.Getenv(envVar); b != "" {
		if _, err := os.Stat(b); err != nil {
			return "", fmt.Errorf("%s: %w", envVar, err)
		}
		return b, nil
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	dir := filepath.Join(cache, "storekeep", name+"-"+version)
	b := filepath.Join(dir, name)
	if _, err := os.Stat(b); err == nil {
		return b, nil
	}
	cmd := exec.Command("go", "install", module+"@"+version)
	cmd.Env = append(os.Environ(), "GOBIN="+dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go install %s: %w: %s", name, err, out)
	}
	if _, err := os.Stat(b); err != nil {
		return "", errors.New("go install did not produce " + b)
	}
	return b, nil
}
