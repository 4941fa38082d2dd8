package engine

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/lxzan/gws"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/game"
	"github.com/skirmish-game/skirmish/netcode"
)

// waitFor bounds every wait in these tests; nothing waits on a guess.
const waitFor = 10 * time.Second

func testLogger() *slog.Logger {
	if os.Getenv("SKIRMISH_TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

func testConfig(t testing.TB) Config {
	cfg := DefaultConfig()
	cfg.Addr = "127.0.0.1:0"
	cfg.Seed = 42
	cfg.WebDir = t.TempDir()
	cfg.ShutdownTimeout = 3 * time.Second
	// Every test client comes from 127.0.0.1: the per-address limits are
	// lifted here and set low by the tests of those limits.
	cfg.ConnRatePerIP, cfg.ConnBurstPerIP = 1e6, 1e6
	cfg.MaxSeatsPerIP = MaxRoomCapacity
	cfg.MaxRoomsPerIP, cfg.RoomRatePerIP = 1e6, 1e6
	cfg.MaxHTTPConnsPerIP = 1e6
	return cfg
}

type testServer struct {
	*Server
	addr   string
	cancel context.CancelFunc
	served chan error
}

// startServer runs a real server on 127.0.0.1:0 until the test ends. The
// options run before Serve, so the hooks they set are seen by every room.
func startServer(t testing.TB, cfg Config, opts ...func(*Server)) *testServer {
	t.Helper()
	s, err := New(cfg, testLogger())
	require.NoError(t, err)
	for _, o := range opts {
		o(s)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	ts := &testServer{Server: s, addr: ln.Addr().String(), cancel: cancel, served: make(chan error, 1)}
	go func() { ts.served <- s.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-ts.served:
			require.NoError(t, err)
		case <-time.After(waitFor):
			t.Error("Serve did not return")
		}
	})
	return ts
}

func withSim(f SimFactory) func(*Server) { return func(s *Server) { s.UseSim(f) } }

func withFrames(l *frameLog) func(*Server) { return func(s *Server) { s.rooms.onFrame = l.record } }

// frameLog keeps the world at every snapshot tick, per room: the truth.
type frameLog struct {
	mu     sync.Mutex
	frames map[string]map[uint32][]netcode.Entity
}

func newFrameLog() *frameLog { return &frameLog{frames: make(map[string]map[uint32][]netcode.Entity)} }

func (l *frameLog) record(room string, tick uint32, world []netcode.Entity) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.frames[room] == nil {
		l.frames[room] = make(map[uint32][]netcode.Entity)
	}
	l.frames[room][tick] = append([]netcode.Entity(nil), world...)
}

func (l *frameLog) get(room string, tick uint32) ([]netcode.Entity, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	w, ok := l.frames[room][tick]
	return w, ok
}

// ticks lists the recorded ticks of room in [from, to], ascending.
func (l *frameLog) ticks(room string, from, to uint32) []uint32 {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []uint32
	for tick := range l.frames[room] {
		if tick >= from && tick <= to {
			out = append(out, tick)
		}
	}
	slices.Sort(out)
	return out
}

// truthView is what a client of player id should see of world, computed the
// slow way: its player, and with AOI everything within the radius; only its
// own player keeps its velocity.
func truthView(world []netcode.Entity, id uint32, cfg Config) []netcode.Entity {
	var me *netcode.Entity
	for i := range world {
		if world[i].ID == id {
			me = &world[i]
		}
	}
	if cfg.AOI && me == nil {
		return nil
	}
	var rq int64
	if cfg.AOI {
		rq = int64(math.Ceil(cfg.ViewRadius * game.PosScale))
	}
	var out []netcode.Entity
	for _, e := range world {
		if cfg.AOI && e.ID != id {
			dx, dy := int64(e.X)-int64(me.X), int64(e.Y)-int64(me.Y)
			if dx*dx+dy*dy > rq*rq {
				continue
			}
		}
		if e.ID != id {
			// Velocity is the owner's only (PROTOCOL.md 5.2).
			e.VX, e.VY = 0, 0
		}
		out = append(out, e)
	}
	return out
}

// counterValue reads a counter or gauge.
func counterValue(t testing.TB, c prometheus.Metric) float64 {
	t.Helper()
	var m dto.Metric
	require.NoError(t, c.Write(&m))
	if m.Counter != nil {
		return m.Counter.GetValue()
	}
	return m.Gauge.GetValue()
}

// testClient is a real gws client that queues every message it receives.
type testClient struct {
	t        testing.TB
	ws       *gws.Conn
	msgs     chan []byte
	closed   chan struct{}
	closeErr error
	stall    atomic.Bool   // when set, the read loop stops until release is closed
	release  chan struct{} // see stall
	dropped  atomic.Int64  // messages that did not fit in msgs
}

type dialOption func(*gws.ClientOption)

// withReceiveBuffer shrinks the client's kernel receive buffer, so a client
// that stops reading backs the server up quickly.
func withReceiveBuffer(n int) dialOption {
	return func(o *gws.ClientOption) {
		o.NewDialer = func() (gws.Dialer, error) {
			return &net.Dialer{Timeout: waitFor, Control: func(_, _ string, rc syscall.RawConn) error {
				var serr error
				if err := rc.Control(func(fd uintptr) {
					serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, n)
				}); err != nil {
					return err
				}
				return serr
			}}, nil
		}
	}
}

func dial(t testing.TB, addr string, opts ...dialOption) *testClient {
	t.Helper()
	c := &testClient{t: t, msgs: make(chan []byte, 1<<14), closed: make(chan struct{}), release: make(chan struct{})}
	o := &gws.ClientOption{Addr: "ws://" + addr + "/ws", ReadMaxPayloadSize: 1 << 22}
	for _, f := range opts {
		f(o)
	}
	ws, _, err := gws.NewClient(c, o)
	require.NoError(t, err)
	c.ws = ws
	go ws.ReadLoop()
	t.Cleanup(func() { _ = ws.NetConn().Close() })
	return c
}

func (c *testClient) OnOpen(*gws.Conn)               {}
func (c *testClient) OnPing(*gws.Conn, []byte)       {}
func (c *testClient) OnPong(*gws.Conn, []byte)       {}
func (c *testClient) OnClose(_ *gws.Conn, err error) { c.closeErr = err; close(c.closed) }

func (c *testClient) OnMessage(_ *gws.Conn, msg *gws.Message) {
	defer msg.Close()
	if c.stall.Load() {
		<-c.release
	}
	select {
	case c.msgs <- bytes.Clone(msg.Bytes()):
	default:
		c.dropped.Add(1)
	}
}

func (c *testClient) send(m any) {
	c.t.Helper()
	b, err := netcode.Append(nil, m)
	require.NoError(c.t, err)
	c.sendRaw(gws.OpcodeBinary, b)
}

func (c *testClient) sendRaw(op gws.Opcode, b []byte) {
	c.t.Helper()
	require.NoError(c.t, c.ws.WriteMessage(op, b))
}

// next returns the next message of kind, skipping others.
func (c *testClient) next(kind netcode.Kind) ([]byte, error) {
	deadline := time.After(waitFor)
	for {
		select {
		case b := <-c.msgs:
			if k, err := netcode.PeekKind(b); err == nil && k == kind {
				return b, nil
			}
		case <-c.closed:
			return nil, fmt.Errorf("closed while waiting for kind %d: %v", kind, c.closeErr)
		case <-deadline:
			return nil, fmt.Errorf("no message of kind %d within %v", kind, waitFor)
		}
	}
}

func (c *testClient) hello(name, room, token string) netcode.Welcome {
	c.t.Helper()
	c.send(&netcode.Hello{Version: netcode.ProtocolVersion, Name: name, Room: room, Token: token})
	b, err := c.next(netcode.KindWelcome)
	require.NoError(c.t, err)
	var w netcode.Welcome
	require.NoError(c.t, netcode.DecodeWelcome(b, &w))
	return w
}

// closeCode waits for the close and returns its code and the Error message
// that came before it (Code 0 if none).
func (c *testClient) closeCode() (uint16, netcode.Error) {
	c.t.Helper()
	select {
	case <-c.closed:
	case <-time.After(waitFor):
		c.t.Fatalf("not closed within %v", waitFor)
	}
	var e netcode.Error
	for {
		select {
		case b := <-c.msgs:
			if k, err := netcode.PeekKind(b); err == nil && k == netcode.KindError {
				require.NoError(c.t, netcode.DecodeError(b, &e))
			}
			continue
		default:
		}
		break
	}
	var ce *gws.CloseError
	if !errors.As(c.closeErr, &ce) {
		c.t.Fatalf("closed without a close frame: %v", c.closeErr)
	}
	return ce.Code, e
}

// requireClose waits for the close and checks its code and, when withError,
// the Error message with the same code before it.
func (c *testClient) requireClose(code uint16, withError bool) netcode.Error {
	c.t.Helper()
	got, e := c.closeCode()
	require.Equal(c.t, code, got, "close code (error message %+v)", e)
	if withError {
		require.Equal(c.t, code, e.Code, "Error message code")
		require.NotEmpty(c.t, e.Text)
	}
	return e
}

// tracker rebuilds a client's view the way a real client does: each delta
// applied to the state of its baseline tick, each state kept and acked.
type tracker struct {
	states map[uint32]netcode.State
	d      netcode.Delta
	ack    uint32
}

func newTracker() *tracker { return &tracker{states: make(map[uint32]netcode.State)} }

func (tr *tracker) apply(b []byte) (netcode.State, *netcode.Delta, error) {
	if err := netcode.DecodeDelta(b, &tr.d); err != nil {
		return netcode.State{}, nil, err
	}
	var base *netcode.State
	if tr.d.Baseline != 0 {
		st, ok := tr.states[tr.d.Baseline]
		if !ok {
			return netcode.State{}, nil, fmt.Errorf("snapshot %d against baseline %d, which the client never had", tr.d.Tick, tr.d.Baseline)
		}
		base = &st
	}
	st, err := netcode.Apply(base, &tr.d)
	if err != nil {
		return netcode.State{}, nil, err
	}
	tr.states[st.Tick] = st
	tr.ack = st.Tick
	for tick := range tr.states {
		if tick+256 < st.Tick {
			delete(tr.states, tick)
		}
	}
	return st, &tr.d, nil
}

// find returns the entity with id in st.
func find(st netcode.State, id uint32) (netcode.Entity, bool) {
	for _, e := range st.Entities {
		if e.ID == id {
			return e, true
		}
	}
	return netcode.Entity{}, false
}

// counterSim is a tiny second game behind Sim: players only, on a 1000x1000
// field, moving 4 units a tick by their Move bits, scoring a point a tick.
// It can be told to panic in Step.
type counterSim struct {
	tick    uint32
	next    uint32
	players []netcode.Entity
	moves   map[uint32]uint8
	panicky *atomic.Bool
}

func newCounterSim(panicky *atomic.Bool) SimFactory {
	return func(int, uint64) Sim { return &counterSim{next: 1, moves: make(map[uint32]uint8), panicky: panicky} }
}

func (s *counterSim) Join(name string) uint32 {
	id := s.next
	s.next++
	s.players = append(s.players, netcode.Entity{ID: id, Kind: game.KindPlayer, Name: name, HP: 100,
		X: netcode.QuantizePos(500), Y: netcode.QuantizePos(500)})
	return id
}

func (s *counterSim) Leave(id uint32) {
	for i := range s.players {
		if s.players[i].ID == id {
			s.players = append(s.players[:i], s.players[i+1:]...)
			delete(s.moves, id)
			return
		}
	}
}

func (s *counterSim) Input(id uint32, in netcode.Input) { s.moves[id] = in.Move }
func (s *counterSim) Tick() uint32                      { return s.tick }
func (s *counterSim) Size() (float64, float64)          { return 1000, 1000 }

func (s *counterSim) Step() {
	if s.panicky != nil && s.panicky.Load() {
		panic("counterSim: told to panic")
	}
	s.tick++
	for i := range s.players {
		p := &s.players[i]
		p.Score++
		if s.moves[p.ID]&game.MoveRight != 0 && p.X < netcode.QuantizePos(990) {
			p.X += 4 * game.PosScale
		}
	}
}

func (s *counterSim) State(dst []netcode.Entity) []netcode.Entity {
	return append(dst[:0], s.players...)
}
