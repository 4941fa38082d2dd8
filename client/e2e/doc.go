// Package e2e holds the end-to-end tests of the client: the real client, built
// for the browser (WASM in headless Chromium) and for the desktop (under Xvfb),
// playing against the engine running in the test process, while an observer
// that speaks the wire protocol checks what the server saw.
//
// It is tests only: nothing imports it. The tests need Debian's chromium, xvfb
// and Mesa (scripts/install-test-deps.sh installs them); without them they skip
// with a hint, except under CI=true, where a missing tool fails the run so it
// is never skipped silently. `go test -short` skips them.
//
// Screenshots go to $SKIRMISH_ARTIFACTS, or bench/out/ at the repository root:
// e2e-browser.png and e2e-native.png.
package e2e
