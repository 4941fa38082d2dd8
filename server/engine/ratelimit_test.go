package engine

import (
	"net"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"

	"github.com/skirmish-game/skirmish/netcode"
)

// The message rate limit (4005) must take a flood for one and leave alone a
// client whose messages came at an honest rate and were read late: the
// limiter charges a message when the reader reads it, and a server that
// stalled reads every client's backlog at once.

// honestSends are the send times of a client that sends an input every tick
// and a ping every second, for d.
func honestSends(tickRate int, d time.Duration) []time.Duration {
	var out []time.Duration
	for i := 0; ; i++ {
		at := time.Duration(i) * time.Second / time.Duration(tickRate)
		if at >= d {
			return out
		}
		out = append(out, at)
		if i%tickRate == 0 {
			out = append(out, at) // the ping
		}
	}
}

// readLate is when a server that could not read from stallFrom for stall
// reads a message sent at: the backlog at the stall's end, the rest on time.
func readLate(at, stallFrom, stall time.Duration) time.Duration {
	if at >= stallFrom && at < stallFrom+stall {
		return stallFrom + stall
	}
	return at
}

// refusedAt charges the messages read at reads (in order) to a bucket of the
// given rate and burst and returns when the first one was refused, or -1.
func refusedAt(limit float64, burst int, reads []time.Duration) time.Duration {
	l := rate.NewLimiter(rate.Limit(limit), burst)
	t0 := time.Unix(1e9, 0)
	for _, r := range reads {
		if !l.AllowN(t0.Add(r), 1) {
			return r
		}
	}
	return -1
}

func TestMessageLimitForgivesALateRead(t *testing.T) {
	cfg := testConfig(t).resolve()
	require.Equal(t, 60.0, cfg.InputRate, "the default rate")
	require.Equal(t, 300, cfg.InputBurst, "the default burst: five seconds of the rate")
	sends := honestSends(cfg.TickRate, 30*time.Second)
	for _, stall := range []time.Duration{time.Second, 2 * time.Second, 5 * time.Second, 9 * time.Second} {
		reads := make([]time.Duration, len(sends))
		for i, at := range sends {
			reads[i] = readLate(at, 10*time.Second, stall)
		}
		assert.Equal(t, time.Duration(-1), refusedAt(cfg.InputRate, cfg.InputBurst, reads),
			"an honest client read %v late is not limited", stall)
		if stall == 2*time.Second {
			// What the overloaded rooms100 run showed: the old burst, two
			// ticks' worth of the rate, took a 2 s stall for a flood.
			assert.Equal(t, 12*time.Second, refusedAt(cfg.InputRate, 2*cfg.TickRate, reads),
				"with a burst of 60 the backlog of a 2 s stall is refused")
		}
	}
}

func TestMessageLimitStopsAFlood(t *testing.T) {
	cfg := testConfig(t).resolve()
	flood := func(times float64, d time.Duration) []time.Duration {
		var out []time.Duration
		gap := time.Duration(float64(time.Second) / (times * cfg.InputRate))
		for at := time.Duration(0); at < d; at += gap {
			out = append(out, at)
		}
		return out
	}
	// burst / (10 x rate - rate) = 300 / 540 s.
	at := refusedAt(cfg.InputRate, cfg.InputBurst, flood(10, 2*time.Second))
	assert.Positive(t, at, "ten times the rate for two seconds is refused")
	assert.Less(t, at, 600*time.Millisecond, "and within about half a second")

	// Read late, the same flood is refused all the same: a late read
	// forgives nothing a flood did not already get from the burst.
	sends := flood(10, 2*time.Second)
	for i := range sends {
		sends[i] = readLate(sends[i], 0, 2*time.Second)
	}
	assert.Equal(t, 2*time.Second, refusedAt(cfg.InputRate, cfg.InputBurst, sends))

	// Sustained just over the rate, a client is refused in the end:
	// burst / (1.1 x rate - rate) = 50 s.
	at = refusedAt(cfg.InputRate, cfg.InputBurst, flood(1.1, 2*time.Minute))
	assert.Positive(t, at, "10% over the rate, sustained, is refused")
	assert.Less(t, at, 60*time.Second)
}

// readGate holds every server-side read of the connections a stallListener
// accepted while it is stalled, the way a server with no CPU to spare holds
// its read loops: what the clients send waits in the kernel.
type readGate struct{ mu sync.RWMutex }

func (g *readGate) stall()  { g.mu.Lock() }
func (g *readGate) resume() { g.mu.Unlock() }

type stallListener struct {
	net.Listener
	gate *readGate
}

func (l stallListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &stallConn{TCPConn: c.(*net.TCPConn), gate: l.gate}, nil
}

// stallConn is a TCP connection whose reads wait for its gate; everything
// else (SyscallConn, SetWriteBuffer, CloseWrite) is the TCPConn's.
type stallConn struct {
	*net.TCPConn
	gate *readGate
}

func (c *stallConn) Read(p []byte) (int, error) {
	c.gate.mu.RLock()
	c.gate.mu.RUnlock() //nolint:staticcheck // a gate, not a critical section
	return c.TCPConn.Read(p)
}

// startStallServer is startServer on a listener whose reads gate can hold.
func startStallServer(t *testing.T, cfg Config, gate *readGate) *testServer {
	t.Helper()
	s, err := New(cfg, testLogger())
	require.NoError(t, err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	return serveOn(t, s, stallListener{Listener: ln, gate: gate}, ln.Addr().String())
}

// pace sends, every tick for d, perTick inputs (and, when pings, a ping a
// second), numbering the inputs on from *seq, and returns the pings it sent.
// It stops early when a write fails: the server closed the connection. It
// may run on a goroutine of its own.
func pace(c *testClient, tickRate, perTick int, pings bool, d time.Duration, seq *uint32) (sent int) {
	every := time.Second / time.Duration(tickRate)
	tick := time.NewTicker(every)
	defer tick.Stop()
	write := func(m any) bool {
		b, err := netcode.Append(nil, m)
		return err == nil && c.conn.Write(b) == nil
	}
	for n := range int(d / every) {
		<-tick.C
		for range perTick {
			*seq++
			if !write(&netcode.Input{Seq: *seq}) {
				return sent
			}
		}
		if pings && n%tickRate == 0 {
			if !write(&netcode.Ping{ClientTime: int64(n + 1)}) {
				return sent
			}
			sent++
		}
	}
	return sent
}

// untilLastSeq reads snapshots until one says input seq was applied.
func untilLastSeq(t *testing.T, c *testClient, seq uint32) (pongs int) {
	t.Helper()
	deadline := time.After(waitFor)
	for {
		select {
		case b := <-c.msgs:
			switch k, _ := netcode.PeekKind(b); k {
			case netcode.KindPong:
				pongs++
			case netcode.KindSnapshot:
				var h netcode.SnapshotHead
				require.NoError(t, netcode.DecodeSnapshotHead(b, &h))
				if h.LastSeq == seq {
					return pongs
				}
			case netcode.KindError:
				var e netcode.Error
				require.NoError(t, netcode.DecodeError(b, &e))
				t.Fatalf("closed: %+v", e)
			}
		case <-c.conn.Done():
			t.Fatalf("closed waiting for input %d to be applied: %v", seq, c.conn.Err())
		case <-deadline:
			t.Fatalf("input %d not applied within %v", seq, waitFor)
		}
	}
}

// TestReadLateHonestClientIsNotLimited: a client sends an input a tick and a
// ping a second while the server cannot read for two seconds; when the
// server reads the backlog at once the client is not closed, its pings are
// answered and its inputs reach the room (the newest is applied). With the
// old burst of two ticks' worth of the rate the same client is closed.
func TestReadLateHonestClientIsNotLimited(t *testing.T) {
	for _, tt := range []struct {
		name   string
		burst  int // 0: the default
		stall  time.Duration
		closed bool
	}{
		{name: "default burst", stall: 2 * time.Second},
		// 3 s, not 2: a 2 s backlog (62 messages) is only just over 60.
		{name: "the old burst of 2 x tick rate", burst: 2 * DefaultTickRate, stall: 3 * time.Second, closed: true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig(t)
			cfg.InputBurst = tt.burst
			gate := new(readGate)
			ts := startStallServer(t, cfg, gate)
			c := dial(t, ts.addr)
			c.hello("honest", "late-reads", "")
			var seq uint32
			pace(c, cfg.TickRate, 1, true, time.Second, &seq)
			untilLastSeq(t, c, seq)

			gate.stall()
			pings := pace(c, cfg.TickRate, 1, true, tt.stall, &seq)
			gate.resume()
			pings += pace(c, cfg.TickRate, 1, true, time.Second, &seq)

			if tt.closed {
				c.requireClose(netcode.CloseRateLimited, true)
				assert.Equal(t, 1.0, limitHits(t, ts.Server, limitMessageRate))
				return
			}
			pongs := untilLastSeq(t, c, seq)
			assert.Equal(t, 0.0, limitHits(t, ts.Server, limitMessageRate), "not rate limited")
			assert.Equal(t, pings, pongs, "every ping sent since the stall began is answered")
		})
	}
}

// TestFloodIsClosed: a client that sends ten times the rate for two seconds
// is closed with 4005 whether the server reads it on time or late, and the
// honest client beside it keeps playing.
func TestFloodIsClosed(t *testing.T) {
	for _, stalled := range []bool{false, true} {
		name := "read on time"
		if stalled {
			name = "read after a 2 s stall"
		}
		t.Run(name, func(t *testing.T) {
			cfg := testConfig(t)
			gate := new(readGate)
			ts := startStallServer(t, cfg, gate)
			honest := dial(t, ts.addr)
			honest.hello("honest", "flood", "")
			flooder := dial(t, ts.addr)
			flooder.hello("flooder", "flood", "")
			perTick := 10 * int(cfg.resolve().InputRate) / cfg.TickRate

			var honestSeq, floodSeq uint32
			done := make(chan struct{})
			go func() {
				defer close(done)
				pace(honest, cfg.TickRate, 1, true, 2*time.Second, &honestSeq)
			}()
			if stalled {
				gate.stall()
			}
			pace(flooder, cfg.TickRate, perTick, false, 2*time.Second, &floodSeq)
			if stalled {
				gate.resume()
			}
			<-done

			e := flooder.requireClose(netcode.CloseRateLimited, true)
			assert.Contains(t, e.Text, "messages per second")
			assert.Equal(t, 1.0, limitHits(t, ts.Server, limitMessageRate), "the flooder alone")
			last := honestSeq + uint32(cfg.TickRate/2)
			go pace(honest, cfg.TickRate, 1, false, time.Second/2, &honestSeq)
			untilLastSeq(t, honest, last)
		})
	}
}
