//go:build !js

package e2e

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/server/engine/enginetest"
)

const (
	chromiumPath = "/usr/bin/chromium" // Debian's chromium package
	browserName  = "E2E"

	viewportW, viewportH = 1280, 720

	// playTimeout bounds loading the page, the WASM and joining.
	playTimeout = 45 * time.Second
)

// webGLProbe names the WebGL renderer a page gets: Ebiten needs WebGL2, which
// headless Chromium has only in software.
const webGLProbe = `(() => {
	const gl = document.createElement("canvas").getContext("webgl2");
	if (!gl) return "no WebGL2";
	const info = gl.getExtension("WEBGL_debug_renderer_info");
	return gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER);
})()`

// browserFlags are Chromium's whole command line but the user data directory
// (and the debugging pipe and first page that chromedp adds). WebGL needs no
// flag of its own: with --disable-gpu, headless Chromium 156 runs WebGL on
// ANGLE over SwiftShader (Vulkan, in software), which Ebiten's WebGL2 renderer
// works on. Should a later Chromium refuse it (webGLProbe says "no WebGL2"),
// "enable-unsafe-swiftshader" is the flag that brings it back.
var browserFlags = []string{
	"headless",
	"no-sandbox",
	"disable-gpu",
	"disable-quic",
	"no-first-run",
	"disable-background-networking",
	"disable-component-update",
	"disable-sync",
}

// TestBrowser plays the WASM client in headless Chromium, served by the
// engine, and checks that the server saw the player move and that the canvas
// shows a rendered frame.
func TestBrowser(t *testing.T) {
	requireE2E(t)
	requireTool(t, chromiumPath)
	shot := artifactPath(t, "e2e-browser.png")
	webDir := buildWeb(t)

	ctx, cancel := context.WithTimeout(t.Context(), testTimeout)
	defer cancel()
	addr := startEngine(t, webDir)
	obs := dialObserver(t, addr, browserName)

	browserLog := &enginetest.LogBuffer{}
	bctx := startBrowser(t, ctx, browserLog)
	defer func() {
		if t.Failed() {
			t.Logf("browser output and console:\n%s", browserLog.String())
		}
	}()

	renderer, err := chromedp.Run(bctx, chromedp.Evaluate[string](webGLProbe))
	require.NoError(t, err, "WebGL probe")
	require.NotEqual(t, "no WebGL2", renderer, "headless Chromium has no WebGL: see browserFlags")
	t.Logf("WebGL renderer: %s", renderer)

	page := fmt.Sprintf("http://%s/?%s", addr, url.Values{
		"name":     {browserName},
		"room":     {e2eRoom},
		"autoplay": {"1"},
	}.Encode())
	// A shorter deadline than the test's, so that the browser still runs
	// to tell where the page got stuck.
	pctx, cancelPlay := context.WithTimeout(bctx, playTimeout)
	err = chromedp.Do(pctx,
		chromedp.EmulateViewport(viewportW, viewportH),
		chromedp.Navigate(page),
		chromedp.WaitReady(chromedp.CSS("canvas")),
		chromedp.WaitReady(chromedp.CSS(`body[data-state="playing"]`)),
	)
	cancelPlay()
	if err != nil {
		saveFailureShot(t, bctx, shot)
	}
	require.NoError(t, err, "page %s never reached data-state=playing (body state %q)", page, bodyState(bctx))
	t.Logf("page is playing")

	obs.requireJoinedAndMoved(t, ctx)

	png, err := chromedp.Run(bctx, chromedp.CaptureScreenshot())
	require.NoError(t, err, "screenshot")
	require.NoError(t, os.WriteFile(shot, png, 0o644))
	t.Logf("saved %s (body state %q)", shot, bodyState(bctx))
	requireRenderedPNG(t, png)
}

// startBrowser starts Chromium for this test and returns its chromedp
// context. The browser dies with ctx, and its user data directory is a fresh
// temporary one.
func startBrowser(t *testing.T, ctx context.Context, out *enginetest.LogBuffer) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.UserDataDir(t.TempDir()), // made before the cleanups below, so removed after the browser exits
		chromedp.CombinedOutput(out),
	}
	for _, f := range browserFlags {
		opts = append(opts, chromedp.Flag(f, true))
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc) // waits for the browser process to exit
	bctx, cancelBrowser := chromedp.NewContext(actx)
	t.Cleanup(cancelBrowser)

	// The first Run starts the browser; Listen needs it running.
	_, err := chromedp.Run(bctx, chromedp.Evaluate[bool]("true"))
	require.NoError(t, err, "start %s:\n%s", chromiumPath, out.String())
	require.NoError(t, chromedp.Listen(bctx, func(ev any) {
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			args := make([]string, 0, len(ev.Args))
			for _, a := range ev.Args {
				if len(a.Value) > 0 {
					args = append(args, string(a.Value))
				} else {
					args = append(args, a.Description)
				}
			}
			out.Printf("console.%s: %s", ev.Type, strings.Join(args, " "))
		case *runtime.EventExceptionThrown:
			d := ev.ExceptionDetails
			msg := d.Text
			if d.Exception != nil {
				msg += " " + d.Exception.Description
			}
			out.Printf("exception at %s:%d: %s", d.URL, d.LineNumber, msg)
		}
	}))
	return bctx
}

// bodyState reads <body data-state>, for messages; it never fails the test.
func bodyState(bctx context.Context) string {
	ctx, cancel := context.WithTimeout(bctx, 5*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? String(document.body.dataset.state) : "no body"`))
	if err != nil {
		return "unknown: " + err.Error()
	}
	return s
}

// saveFailureShot saves what the page showed when it failed, next to where
// the good screenshot goes.
func saveFailureShot(t *testing.T, bctx context.Context, shot string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(bctx, 5*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Logf("no failure screenshot: %v", err)
		return
	}
	path := strings.TrimSuffix(shot, ".png") + "-failed.png"
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Logf("no failure screenshot: %v", err)
		return
	}
	t.Logf("saved the failing page to %s", path)
}
