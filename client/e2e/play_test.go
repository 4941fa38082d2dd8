//go:build !js

package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/server/engine/enginetest"
)

const (
	touchName = "TOUCH"

	// playTestTimeout bounds TestBrowserPlay after its build: longer than
	// testTimeout, for its many steps in a page that software rendering
	// on a shared machine holds to a few frames a second (50 to 70 s
	// there), and a hunter that may have to come back from a respawn.
	playTestTimeout = 150 * time.Second

	// The thumb of the move stick comes down in the left half of the
	// viewport and slides right, far past the stick's dead zone.
	thumbX, thumbY, thumbSlide = 320.0, 520.0, 90.0
	aimX                       = 960.0 // the aim stick's thumb, in the right half

	smallW, smallH = 480, 270 // a small window, for the HUD's and the menu's scaling
	phoneW, phoneH = 390, 844 // a phone held upright, for the lobby's room list under the form

	// The start screen's PLAY button at 1280x720 (connectScene.playRect:
	// the title at 16% of the height, the fields 140 and 218 HUD pixels
	// below it, 40 high, the button 22 under the second, at HUD scale
	// 720/620), in the middle of the form's panel (388 HUD pixels wide),
	// which the lobby centres with the room list (36 apart, 420 wide).
	// The lobby's Quick play row, the room list's first, beside the form.
	quickX, quickY = (1280-(388+36+420)*720/620.0)/2 + (388+36+100)*720/620.0, 115.2 + (96+76+15)*720/620.0
	playX, playY   = (1280-(388+36+420)*720/620.0)/2 + 388/2*720/620.0, 115.2 + (140+78+40+22+20)*720/620.0
)

// TestBrowserPlay plays the WASM client in headless Chromium as a player
// would, without the autopilot: a tap on PLAY on the start screen, a thumb on the
// touch screen's move stick (the server must see the ship move), Esc for the
// menu and Esc back, a thumb on the aim stick that fires at a hunter (a
// protocol client) until the server says it is hit and the page counts the
// hit (the hit marker's data-hits), then the hunter kills
// the player and the kill must show in the page's kill feed while it waits
// to respawn; last, Leave in the menu goes back to the start screen. A
// screenshot of each step is saved.
func TestBrowserPlay(t *testing.T) {
	requireE2E(t)
	requireTool(t, chromiumPath)
	shots := map[string]string{}
	for _, name := range []string{"connect", "touch", "menu", "menu-small", "hit", "killed", "left-small", "left-phone", "again"} {
		shots[name] = artifactPath(t, "e2e-play-"+name+".png")
	}
	webDir := buildWeb(t)

	ctx, cancel := context.WithTimeout(t.Context(), playTestTimeout)
	defer cancel()
	addr := startEngine(t, webDir)
	h := dialHunter(t, addr, touchName)

	browserLog := &enginetest.LogBuffer{}
	bctx := startBrowser(t, ctx, browserLog)
	defer func() {
		if t.Failed() {
			t.Logf("browser output and console:\n%s", browserLog.String())
			saveFailureShot(t, bctx, shots["touch"])
		}
	}()

	page := fmt.Sprintf("http://%s/?%s", addr, url.Values{"name": {touchName}, "room": {e2eRoom}}.Encode())
	pctx, cancelPlay := context.WithTimeout(bctx, playTimeout)
	err := chromedp.Do(pctx,
		chromedp.Func(func(ctx context.Context, tgt *chromedp.Target) error {
			_, err := cdp.Call(ctx, tgt, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{Source: audioSpy})
			return err
		}),
		chromedp.EmulateViewport(viewportW, viewportH, chromedp.EmulateTouch),
		chromedp.Navigate(page),
		chromedp.WaitReady(chromedp.CSS(`body[data-state="connect"]`)),
	)
	cancelPlay()
	require.NoError(t, err, "page %s never showed the start screen (body state %q)", page, bodyState(bctx))
	saveShot(t, bctx, shots["connect"])
	// Headless Chromium's autoplay policy may let audio start without a
	// gesture, so the state before it is logged, not checked.
	t.Logf("audio contexts before the first input: %v", audioStates(bctx))
	// A phone has no Enter key: tap PLAY.
	tapID := 0.0
	require.NoError(t, chromedp.Do(bctx,
		touch(input.DispatchTouchEventTypeTouchStart, []*input.TouchPoint{{X: playX, Y: playY, ID: &tapID}}),
		touch(input.DispatchTouchEventTypeTouchEnd, nil),
		chromedp.WaitReady(chromedp.CSS(`body[data-state="playing"]`)),
	), "tapping PLAY did not start the game (body state %q)", bodyState(bctx))
	// A page's audio starts suspended where the browser requires a gesture;
	// Ebiten's backend resumes it on a key, click or touch: after the tap
	// it must run.
	_, err = chromedp.Run(bctx, chromedp.Poll[bool](`window.audioStates().includes("running")`))
	require.NoError(t, err, "no running AudioContext after the first tap: %v", audioStates(bctx))
	t.Logf("audio contexts: %v", audioStates(bctx))

	// The move stick: press, slide right and hold until the server has
	// seen the ship go; nothing else steers it.
	id := 1.0
	point := func(x float64) []*input.TouchPoint { return []*input.TouchPoint{{X: x, Y: thumbY, ID: &id}} }
	require.NoError(t, chromedp.Do(bctx,
		touch(input.DispatchTouchEventTypeTouchStart, point(thumbX)),
		touch(input.DispatchTouchEventTypeTouchMove, point(thumbX+thumbSlide/2)),
		touch(input.DispatchTouchEventTypeTouchMove, point(thumbX+thumbSlide)),
	), "touch")
	h.requireJoinedAndMoved(t, ctx)
	saveShot(t, bctx, shots["touch"])
	require.NoError(t, chromedp.Do(bctx, touch(input.DispatchTouchEventTypeTouchEnd, nil)), "lift the thumb")

	require.NoError(t, chromedp.Do(bctx,
		chromedp.KeyEvent(kb.Escape),
		chromedp.WaitReady(chromedp.CSS(`body[data-state="menu"]`)),
	), "Esc did not open the menu (body state %q)", bodyState(bctx))
	saveShot(t, bctx, shots["menu"])
	// The same at 480x270, where the HUD and the menu shrink to fit; then
	// back, for the touches below.
	require.NoError(t, chromedp.Do(bctx, chromedp.EmulateViewport(smallW, smallH, chromedp.EmulateTouch)), "small viewport")
	saveShot(t, bctx, shots["menu-small"])
	require.NoError(t, chromedp.Do(bctx, chromedp.EmulateViewport(viewportW, viewportH, chromedp.EmulateTouch)), "viewport")
	require.NoError(t, chromedp.Do(bctx,
		chromedp.KeyEvent(kb.Escape),
		chromedp.WaitReady(chromedp.CSS(`body[data-state="playing"]`)),
	), "Esc did not close the menu (body state %q)", bodyState(bctx))

	// The aim stick: the hunter comes close, the right thumb pushes
	// towards it, and the ship fires until the hunter is hit.
	toward := h.requireNear(t, ctx)
	toward = toward.Scale(thumbSlide / toward.Len())
	aimID := 2.0
	aim := func(dx, dy float64) []*input.TouchPoint {
		return []*input.TouchPoint{{X: aimX + dx, Y: thumbY + dy, ID: &aimID}}
	}
	require.NoError(t, chromedp.Do(bctx,
		touch(input.DispatchTouchEventTypeTouchStart, aim(0, 0)),
		touch(input.DispatchTouchEventTypeTouchMove, aim(toward.X, toward.Y)),
	), "aim")
	h.requireHurt(t, ctx)
	require.NoError(t, chromedp.Do(bctx, chromedp.WaitReady(chromedp.CSS(`body[data-hits]`))),
		"the server saw the hunter hit, the page no hit of its own")
	saveShot(t, bctx, shots["hit"]) // the hit marker lasts 350 ms, the number 900 ms
	require.NoError(t, chromedp.Do(bctx, touch(input.DispatchTouchEventTypeTouchEnd, nil)), "lift the aiming thumb")
	// In a slow, software-rendered page the ship may fire long enough to
	// kill the hunter first; it comes back from its respawn all the same.

	h.requireKill(t, ctx)
	want := hunterName + " > " + touchName
	require.NoError(t, chromedp.Do(bctx, chromedp.WaitReady(chromedp.CSS(fmt.Sprintf(`body[data-feed=%q]`, want)))),
		"the kill feed never said %q", want)
	require.Equal(t, "dead", bodyState(bctx), "the page shows the death screen while the kill is in the feed")
	saveShot(t, bctx, shots["killed"])

	// Leave from the menu (Up wraps to its last item) for the start screen;
	// the name joined with is remembered for the next visit.
	require.NoError(t, chromedp.Do(bctx,
		chromedp.KeyEvent(kb.Escape),
		chromedp.WaitReady(chromedp.CSS(`body[data-state="menu"]`)),
		chromedp.KeyEvent(kb.ArrowUp),
		chromedp.KeyEvent(kb.Enter),
		chromedp.WaitReady(chromedp.CSS(`body[data-state="connect"]`)),
	), "Leave did not go back to the start screen (body state %q)", bodyState(bctx))
	saved, err := chromedp.Run(bctx, chromedp.Evaluate[string](`localStorage.getItem("skirmish.settings") || ""`))
	require.NoError(t, err)
	require.Contains(t, saved, `"name": "`+touchName+`"`, "settings in localStorage")
	// The Enter that chose Leave must not join again on the start screen:
	// the server keeps one person, the hunter (a protocol client).
	requireHealth(t, ctx, addr, 1, 1)
	// The start screen with its room list at 480x270, then a second game
	// from it, as the first.
	require.NoError(t, chromedp.Do(bctx, chromedp.EmulateViewport(smallW, smallH, chromedp.EmulateTouch)), "small viewport")
	saveShot(t, bctx, shots["left-small"])
	require.NoError(t, chromedp.Do(bctx, chromedp.EmulateViewport(phoneW, phoneH, chromedp.EmulateTouch)), "phone viewport")
	saveShot(t, bctx, shots["left-phone"])
	require.NoError(t, chromedp.Do(bctx, chromedp.EmulateViewport(viewportW, viewportH, chromedp.EmulateTouch)), "viewport")
	// A tap on the list's Quick play row empties the ROOM field, so the
	// second game is in a room of the server's choosing, not the hunter's.
	require.NoError(t, chromedp.Do(bctx,
		touch(input.DispatchTouchEventTypeTouchStart, []*input.TouchPoint{{X: quickX, Y: quickY, ID: &tapID}}),
		touch(input.DispatchTouchEventTypeTouchEnd, nil),
		touch(input.DispatchTouchEventTypeTouchStart, []*input.TouchPoint{{X: playX, Y: playY, ID: &tapID}}),
		touch(input.DispatchTouchEventTypeTouchEnd, nil),
		chromedp.WaitReady(chromedp.CSS(`body[data-state="playing"]`)),
	), "tapping Quick play and PLAY after Leave did not start a second game (body state %q)", bodyState(bctx))
	requireHealth(t, ctx, addr, 2, 2)
	saveShot(t, bctx, shots["again"])
}

// requireHealth waits until the server's /healthz counts people and rooms.
func requireHealth(t *testing.T, ctx context.Context, addr string, people, rooms int) {
	t.Helper()
	require.Eventually(t, func() bool {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/healthz", nil)
		if err != nil {
			return false
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		var h struct {
			Players int `json:"players"`
			Rooms   int `json:"rooms"`
		}
		if json.NewDecoder(resp.Body).Decode(&h) != nil {
			return false
		}
		return h.Players == people && h.Rooms == rooms
	}, stopTimeout, 50*time.Millisecond, "the server never counted %d people in %d rooms", people, rooms)
}

// audioSpy runs before the page's own scripts and keeps every AudioContext
// the page makes, so the test can read their states.
const audioSpy = `(() => {
	const made = [];
	const Real = window.AudioContext;
	window.AudioContext = class extends Real {
		constructor(...args) { super(...args); made.push(this); }
	};
	window.audioStates = () => made.map(c => c.state);
})()`

// audioStates reads the page's AudioContexts' states, for messages.
func audioStates(bctx context.Context) []string {
	ctx, cancel := context.WithTimeout(bctx, 5*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.audioStates()`))
	if err != nil {
		return []string{"unknown: " + err.Error()}
	}
	return s
}

// touch dispatches one touch event to the page.
func touch(typ input.DispatchTouchEventType, points []*input.TouchPoint) chromedp.Action[chromedp.Void] {
	if points == nil {
		points = []*input.TouchPoint{}
	}
	return chromedp.Func(func(ctx context.Context, tgt *chromedp.Target) error {
		_, err := cdp.Call(ctx, tgt, input.DispatchTouchEvent, input.DispatchTouchEventParams{Type: typ, TouchPoints: points})
		return err
	})
}

// saveShot saves what the page shows now and checks that it is a rendered
// frame.
func saveShot(t *testing.T, bctx context.Context, path string) {
	t.Helper()
	png, err := chromedp.Run(bctx, chromedp.CaptureScreenshot())
	require.NoError(t, err, "screenshot")
	require.NoError(t, os.WriteFile(path, png, 0o644))
	t.Logf("saved %s (body state %q)", path, bodyState(bctx))
	requireRenderedPNG(t, png)
}
