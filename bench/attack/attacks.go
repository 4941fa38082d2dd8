package attack

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/skirmish-game/skirmish/internal/wsraw"
)

// Bounds of the attacks, as issue 7 measured them.
const (
	pingBatch       = 512 // empty pings per write
	maxReconnects   = 200 // per ping-flood connection and row
	reconnectPause  = 50 * time.Millisecond
	squatRooms      = 255
	ghosts          = 100
	ghostRoom       = "ghosts"
	headerConns     = 500
	headerBytes     = 900 << 10
	headerChunk     = 16 << 10
	headerEvery     = 100 * time.Millisecond
	closeConns      = 10_000
	closeWorkers    = 32
	wasmConns       = 100
	wasmRecvBuffer  = 4 << 10
	oversizeTries   = 50
	oversizeBytes   = 5000
	squatWorkers    = 16
	ghostWorkers    = 20
	leaveAfterClose = time.Second
)

// upgradeOutcome names how an upgrade attempt ended, for a tally.
func upgradeOutcome(status int, err error) string {
	switch {
	case err == nil:
		return "upgraded"
	case status != 0:
		return fmt.Sprintf("http %d", status)
	default:
		return "dial " + classify(err)
	}
}

// pingFlood: n connections say hello and then write empty pings without
// ever reading; a dropped one comes straight back.
func pingFlood(ctx context.Context, e *env, n int) string {
	var ups, ends tally
	var pings atomic.Int64
	batch := make([]byte, 0, pingBatch*6)
	for range pingBatch {
		batch = appendFrame(batch, wsraw.OpPing, nil)
	}
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			for try := 0; try < maxReconnects && ctx.Err() == nil; try++ {
				w, status, err := e.attacker.upgrade(ctx)
				ups.add(upgradeOutcome(status, err))
				if err != nil {
					pause(ctx, reconnectPause)
					continue
				}
				if err := w.hello(fmt.Sprintf("pinger%d", i), "pings"); err != nil {
					ends.add("hello " + classify(err))
					w.reset()
					continue
				}
				ends.add(floodUntilDropped(ctx, w, batch, &pings))
				w.reset()
			}
		})
	}
	wg.Wait()
	return fmt.Sprintf("upgrades: %s; %d pings written; floods ended by: %s", ups.String(), pings.Load(), ends.String())
}

// floodUntilDropped writes batches until ctx ends or the server drops the
// connection, and names which.
func floodUntilDropped(ctx context.Context, w *wsConn, batch []byte, pings *atomic.Int64) string {
	for ctx.Err() == nil {
		// A write cut by its deadline is finished before the next one, so
		// the frames stay whole: the server must see valid pings only.
		for off := 0; off < len(batch); {
			_ = w.c.SetWriteDeadline(time.Now().Add(200 * time.Millisecond))
			n, err := w.c.Write(batch[off:])
			off += n
			if err == nil {
				continue
			}
			if classify(err) != "timeout" {
				return "write " + classify(err)
			}
			if ctx.Err() != nil {
				return "row end"
			}
			// A timeout: the server is not reading, which is the point.
		}
		pings.Add(pingBatch)
	}
	return "row end"
}

func pause(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// join is one honest player's attempt from the probe address: dial, hello,
// welcome or not, leave.
func join(ctx context.Context, e *env, name, room string) string {
	w, status, err := e.probe.upgrade(ctx)
	if err != nil {
		return upgradeOutcome(status, err)
	}
	defer w.leave()
	if err := w.hello(name, room); err != nil {
		return "hello " + classify(err)
	}
	return w.await(readTimeout, true)
}

// forEach runs f(i) for i in 0..n-1 on workers goroutines until ctx ends.
func forEach(ctx context.Context, n, workers int, f func(i int)) (done int) {
	var next, finished atomic.Int64
	var wg sync.WaitGroup
	for range min(workers, n) {
		wg.Go(func() {
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				f(i)
				finished.Add(1)
			}
		})
	}
	wg.Wait()
	return int(finished.Load())
}

// roomSquat: one IP opens a new room per hello and leaves it empty.
func roomSquat(ctx context.Context, e *env) string {
	var hellos tally
	done := forEach(ctx, squatRooms, squatWorkers, func(i int) {
		w, status, err := e.attacker.upgrade(ctx)
		if err != nil {
			hellos.add(upgradeOutcome(status, err))
			return
		}
		defer w.leave()
		if err := w.hello(fmt.Sprintf("squat%d", i), fmt.Sprintf("squat-%d", i)); err != nil {
			hellos.add("hello " + classify(err))
			return
		}
		hellos.add(w.await(readTimeout, true))
	})
	hc := &http.Client{Timeout: readTimeout}
	rooms, _, err := health(ctx, hc, e.healthURL)
	roomsStr := fmt.Sprint(rooms)
	if err != nil {
		roomsStr = "? (" + err.Error() + ")"
	}
	newRoom := join(ctx, e, "newcomer", "probe-new-room")
	public := join(ctx, e, "newcomer2", "")
	return fmt.Sprintf("%d of %d hellos: %s; rooms after: %s; new player creating a room: %s; new player asking for any room: %s",
		done, squatRooms, hellos.String(), roomsStr, newRoom, public)
}

// ghostSeats: connections that join one room and vanish with a reset.
func ghostSeats(ctx context.Context, e *env) string {
	var hellos tally
	done := forEach(ctx, ghosts, ghostWorkers, func(i int) {
		w, status, err := e.attacker.upgrade(ctx)
		if err != nil {
			hellos.add(upgradeOutcome(status, err))
			return
		}
		defer w.reset()
		if err := w.hello(fmt.Sprintf("ghost%d", i), ghostRoom); err != nil {
			hellos.add("hello " + classify(err))
			return
		}
		hellos.add(w.await(readTimeout, true))
	})
	_, players, _ := health(ctx, &http.Client{Timeout: readTimeout}, e.healthURL)
	probe := join(ctx, e, "latecomer", ghostRoom)
	return fmt.Sprintf("%d of %d ghosts: %s; players after: %d; new player joining %q: %s",
		done, ghosts, hellos.String(), players, ghostRoom, probe)
}

// slowHeaders: connections that send a huge request head slowly and never
// end it.
func slowHeaders(ctx context.Context, e *env) string {
	var dials, writes, answers tally
	var sent atomic.Int64
	pad := "X-Pad: " + strings.Repeat("a", headerChunk-len("X-Pad: \r\n")) + "\r\n"
	var wg sync.WaitGroup
	for range headerConns {
		wg.Go(func() {
			c, err := e.attacker.tcp(ctx)
			if err != nil {
				dials.add(classify(err))
				return
			}
			defer c.Close()
			dials.add("connected")
			head := "GET " + wsPath + " HTTP/1.1\r\nHost: " + e.host + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
			if _, err := io.WriteString(c, head); err != nil {
				writes.add("write " + classify(err))
				return
			}
			written := len(head)
			outcome := "all sent"
			for written < headerBytes && ctx.Err() == nil {
				pause(ctx, headerEvery)
				_ = c.SetWriteDeadline(time.Now().Add(time.Second))
				if _, err := io.WriteString(c, pad); err != nil {
					outcome = "write " + classify(err)
					break
				}
				written += len(pad)
				sent.Add(int64(len(pad)))
			}
			if ctx.Err() != nil && written < headerBytes {
				outcome = "row end"
			}
			writes.add(outcome)
			<-ctx.Done() // hold the half-sent request until the row ends
			_ = c.SetReadDeadline(time.Now().Add(500 * time.Millisecond))
			resp, err := http.ReadResponse(bufio.NewReader(c), nil)
			if err != nil {
				answers.add(classify(err))
				return
			}
			resp.Body.Close()
			answers.add(fmt.Sprintf("http %d", resp.StatusCode))
		})
	}
	wg.Wait()
	return fmt.Sprintf("dials: %s; %.0f MB of headers sent; sending ended by: %s; at the row's end the server had answered: %s",
		dials.String(), float64(sent.Load())/(1<<20), writes.String(), answers.String())
}

// closeCodes: connections that upgrade and close at once, each with its own
// application close code.
func closeCodes(ctx context.Context, e *env) string {
	var ups, echoes tally
	done := forEach(ctx, closeConns, closeWorkers, func(i int) {
		w, status, err := e.attacker.upgrade(ctx)
		ups.add(upgradeOutcome(status, err))
		if err != nil {
			return
		}
		defer w.c.Close()
		code := uint16(4000 + i%1000)
		if err := w.write(appendFrame(nil, wsraw.OpClose, wsraw.ClosePayload(code)), time.Second); err != nil {
			echoes.add("write " + classify(err))
			return
		}
		echoes.add(echoOutcome(w.await(leaveAfterClose, false), code))
	})
	return fmt.Sprintf("%d of %d connections: %s; server's close reply: %s", done, closeConns, ups.String(), echoes.String())
}

func echoOutcome(got string, sent uint16) string {
	if got == fmt.Sprintf("close %d", sent) {
		return "echoed our code"
	}
	return got
}

// wasmStall: clients that ask for the 5 MB client and do not read it.
func wasmStall(ctx context.Context, e *env) string {
	var dials tally
	type held struct {
		c  *net.TCPConn
		br *bufio.Reader
	}
	var mu sync.Mutex
	var conns []held
	var wg sync.WaitGroup
	for range wasmConns {
		wg.Go(func() {
			c, err := e.attacker.tcp(ctx)
			if err != nil {
				dials.add(classify(err))
				return
			}
			_ = c.SetReadBuffer(wasmRecvBuffer) // small, so the server's writes block soon
			req := "GET /client.wasm HTTP/1.1\r\nHost: " + e.host + "\r\n\r\n"
			if _, err := io.WriteString(c, req); err != nil {
				dials.add("write " + classify(err))
				c.Close()
				return
			}
			dials.add("requested")
			mu.Lock()
			conns = append(conns, held{c: c, br: bufio.NewReader(c)})
			mu.Unlock()
		})
	}
	wg.Wait()
	<-ctx.Done()
	serverHeld := "unknown (no server pid)"
	if u, ok := e.usageNow(); ok {
		serverHeld = fmt.Sprintf("%d (open files %d, %d before)", u.FDs-e.fdsBefore, u.FDs, e.fdsBefore)
	}
	// Now read what each got: the whole file means the server waited for us;
	// an early end means it gave up on us.
	var reads tally
	var rg sync.WaitGroup
	for _, h := range conns {
		rg.Go(func() {
			defer h.c.Close()
			_ = h.c.SetReadDeadline(time.Now().Add(2 * time.Second))
			resp, err := http.ReadResponse(h.br, nil)
			if err != nil {
				reads.add("no response: " + classify(err))
				return
			}
			defer resp.Body.Close()
			n, err := io.Copy(io.Discard, resp.Body)
			switch {
			case resp.StatusCode != http.StatusOK:
				reads.add(fmt.Sprintf("http %d", resp.StatusCode))
			case err == nil:
				reads.add("whole file (server still held it)")
			case classify(err) == "timeout":
				reads.add("still sending after 2 s")
			default:
				reads.add(fmt.Sprintf("cut by server (%s after %d KB)", classify(err), n>>10))
			}
		})
	}
	rg.Wait()
	return fmt.Sprintf("requests: %s; extra server files open at the end: %s; reading them then: %s", dials.String(), serverHeld, reads.String())
}

// Names row 8 plants in the web directory.
const (
	plantLink    = "attack-passwd"
	plantDotfile = ".attack-dotfile"
	plantDir     = "attack-dir"
	dotfileBody  = "attack-secret"
)

// staticLeaks: what the static file server gives out of -web.
func staticLeaks(ctx context.Context, e *env) string {
	if e.webDir == "" {
		return "skipped: the server's -web directory is not known (give -attack-web)"
	}
	remove, err := plant(e.webDir)
	defer remove()
	if err != nil {
		return "skipped: " + err.Error()
	}
	hc := e.attacker.httpClient()
	get := func(path, leak string) string {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+e.host+path, nil)
		if err != nil {
			return err.Error()
		}
		resp, err := hc.Do(req)
		if err != nil {
			return classify(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10)) // a short body only weakens the leak check
		s := fmt.Sprintf("http %d", resp.StatusCode)
		if leak != "" && resp.StatusCode == http.StatusOK && strings.Contains(string(body), leak) {
			s += " LEAKED"
		}
		return s
	}
	return fmt.Sprintf("symlink to /etc/passwd: %s; dotfile: %s; directory listing: %s; index: %s",
		get("/"+plantLink, "root:"), get("/"+plantDotfile, dotfileBody), get("/"+plantDir+"/", "inside.txt"), get("/", ""))
}

// plant creates row 8's files in dir; remove takes them away again.
func plant(dir string) (remove func(), err error) {
	remove = func() {
		// Best effort: a leftover in a scratch dir is harmless, and with
		// -url the names say what they are.
		_ = os.Remove(filepath.Join(dir, plantLink))
		_ = os.Remove(filepath.Join(dir, plantDotfile))
		_ = os.RemoveAll(filepath.Join(dir, plantDir))
	}
	if err := os.Symlink("/etc/passwd", filepath.Join(dir, plantLink)); err != nil {
		return remove, fmt.Errorf("attack: plant: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, plantDotfile), []byte(dotfileBody), 0o644); err != nil {
		return remove, fmt.Errorf("attack: plant: %w", err)
	}
	if err := os.MkdirAll(filepath.Join(dir, plantDir), 0o755); err != nil {
		return remove, fmt.Errorf("attack: plant: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, plantDir, "inside.txt"), []byte("x"), 0o644); err != nil {
		return remove, fmt.Errorf("attack: plant: %w", err)
	}
	return remove, nil
}

// oversizeFrame: a frame over the server's limit, in one write.
func oversizeFrame(ctx context.Context, e *env) string {
	var out tally
	frame := appendFrame(nil, wsraw.OpBinary, make([]byte, oversizeBytes))
	for i := 0; i < oversizeTries && ctx.Err() == nil; i++ {
		w, status, err := e.attacker.upgrade(ctx)
		if err != nil {
			out.add(upgradeOutcome(status, err))
			continue
		}
		// Even tries wait for the welcome first; odd ones send the frame
		// right behind the hello, as a client that does not wait would.
		if err := w.hello(fmt.Sprintf("big%d", i), "oversize"); err != nil {
			out.add("hello " + classify(err))
			w.c.Close()
			continue
		}
		if i%2 == 0 {
			if got := w.await(readTimeout, true); got != "welcome" {
				out.add("before the frame: " + got)
				w.c.Close()
				continue
			}
		}
		if err := w.write(frame, time.Second); err != nil {
			out.add("write " + classify(err))
			w.c.Close()
			continue
		}
		out.add(w.await(readTimeout, false))
		w.c.Close()
	}
	return fmt.Sprintf("%d tries: %s (close 1009 = read the documented close; reset/eof = lost it)", oversizeTries, out.String())
}
