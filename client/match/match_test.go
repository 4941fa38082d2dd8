package match_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/client/app"
	"github.com/skirmish-game/skirmish/client/match"
	"github.com/skirmish-game/skirmish/game"
	"github.com/skirmish-game/skirmish/netcode"
)

const tickRate = 30

// server is a minimal stand-in for the engine: a World, its snapshot history
// and the per-client acknowledgement, encoding deltas the way the protocol
// says.
type server struct {
	t       *testing.T
	w       *game.World
	id      game.EntityID
	states  map[uint32]*netcode.State
	lastSeq uint32
	acked   uint32
}

func newServer(t *testing.T) *server {
	w := game.NewWorld(game.Config{Seed: 7, TickRate: tickRate, Width: 2000, Height: 2000, Drones: 5, Pellets: 20})
	return &server{t: t, w: w, id: w.AddPlayer("ann"), states: map[uint32]*netcode.State{}}
}

func (s *server) welcome() netcode.Welcome {
	return netcode.Welcome{
		Kind: netcode.KindWelcome, PlayerID: uint32(s.id), Room: "r", TickRate: tickRate, SnapshotRate: tickRate,
		ServerTick: s.w.Tick(), Token: "tok", WorldW: 2000, WorldH: 2000,
	}
}

// step applies the client's input (if any) and advances one tick.
func (s *server) step(in *netcode.Input) {
	var inputs []game.PlayerInput
	if in != nil {
		inputs = append(inputs, game.PlayerInput{ID: s.id, Input: in.GameInput(s.w.Tick() + 1)})
		s.lastSeq = in.Seq
		s.acked = in.Ack
	}
	s.w.Step(inputs)
	st := &netcode.State{Tick: s.w.Tick(), Entities: netcode.CaptureWorld(nil, s.w)}
	s.states[st.Tick] = st
}

// snapshot encodes the newest state as a delta from baseline (0 = full).
func (s *server) snapshot(baseline uint32) []byte {
	cur := s.states[s.w.Tick()]
	d := netcode.Diff(s.states[baseline], cur)
	d.Tick, d.Baseline, d.LastSeq = cur.Tick, baseline, s.lastSeq
	return netcode.AppendDelta(nil, &d)
}

// synced is a match that has applied its first, full snapshot at t0.
func synced(t *testing.T) (*server, *match.Match, time.Time) {
	srv := newServer(t)
	t0 := time.Unix(100, 0)
	m, err := match.New(srv.welcome(), 0, t0)
	require.NoError(t, err)
	srv.step(nil)
	require.NoError(t, m.Handle(srv.snapshot(0), t0))
	require.True(t, m.Synced())
	return srv, m, t0
}

func TestPredictionMatchesServer(t *testing.T) {
	srv, m, t0 := synced(t)

	// Two ticks of latency: the server applies each input two ticks after
	// the client predicted it, and the client acks as it goes.
	var queue []netcode.Input
	for tick := uint64(0); tick < 5*tickRate; tick++ {
		now := t0.Add(time.Duration(tick) * time.Second / tickRate)
		in := m.NextInput(app.Autopilot(tick, tickRate), now)
		assert.Equal(t, uint32(tick+1), in.Seq)
		queue = append(queue, in)
		if len(queue) > 2 {
			srv.step(&queue[0])
			queue = queue[1:]
			require.NoError(t, m.Handle(srv.snapshot(srv.acked), now))
		}
	}
	st := m.Stats()
	assert.Zero(t, st.Corrections, "prediction replays the server's movement exactly")
	assert.Zero(t, st.Snapshots.MissingBaseline)
	assert.Equal(t, 2, st.PendingInputs)

	// Once the server has every input, the prediction is where the server is.
	for _, in := range queue {
		srv.step(&in)
	}
	require.NoError(t, m.Handle(srv.snapshot(srv.acked), t0.Add(10*time.Second)))
	p, _ := srv.w.Player(srv.id)
	got := m.SelfPos(t0.Add(10*time.Second), time.Second)
	assert.Equal(t, p.Pos, got)
	self, ok := m.Self()
	require.True(t, ok)
	assert.Equal(t, "ann", self.Name)
	assert.Equal(t, "ann", m.Name(uint32(srv.id)))
}

func TestMissingBaselineWaitsForFull(t *testing.T) {
	srv := newServer(t)
	t0 := time.Unix(100, 0)
	m, err := match.New(srv.welcome(), 0, t0)
	require.NoError(t, err)
	srv.step(nil)
	full := srv.w.Tick()
	require.NoError(t, m.Handle(srv.snapshot(0), t0))
	assert.Equal(t, full, m.NextInput(game.Input{}, t0).Ack)

	srv.step(nil)
	srv.step(nil)
	// A delta from a tick the client never saw.
	err = m.Handle(srv.snapshot(full+1), t0)
	require.ErrorIs(t, err, netcode.ErrMissingBaseline)
	assert.Equal(t, full, m.NextInput(game.Input{}, t0).Ack, "keeps acking what it has")
	assert.Equal(t, uint64(1), m.Stats().Snapshots.MissingBaseline)

	srv.step(nil)
	require.NoError(t, m.Handle(srv.snapshot(0), t0), "the full snapshot the server falls back to")
	assert.Equal(t, srv.w.Tick(), m.NextInput(game.Input{}, t0).Ack)
	assert.Equal(t, srv.states[srv.w.Tick()].Entities, m.Latest().Entities)
}

func TestPingPong(t *testing.T) {
	srv := newServer(t)
	t0 := time.Unix(100, 0)
	m, err := match.New(srv.welcome(), 0, t0)
	require.NoError(t, err)
	now := t0
	pings := 0
	for i := 0; i < 200; i++ { // 10 s in 50 ms steps
		if p, ok := m.PingDue(now); ok {
			pings++
			pong, err := netcode.Append(nil, &netcode.Pong{Kind: netcode.KindPong, ClientTime: p.ClientTime, ServerTime: 5_000_000, ServerTick: 150})
			require.NoError(t, err)
			require.NoError(t, m.Handle(pong, now.Add(40*time.Millisecond)))
		}
		now = now.Add(50 * time.Millisecond)
	}
	st := m.Stats()
	assert.True(t, st.ClockSynced)
	assert.Equal(t, 40*time.Millisecond, st.RTT)
	// Fast pings until synced (4 in 0.8 s), then one a second.
	assert.InDelta(t, 4+10, pings, 2)
}

func TestBoard(t *testing.T) {
	srv := newServer(t)
	m, err := match.New(srv.welcome(), 0, time.Unix(100, 0))
	require.NoError(t, err)
	b, err := netcode.Append(nil, &netcode.Board{Kind: netcode.KindBoard, Players: 3, Entries: []netcode.BoardEntry{{ID: 9, Name: "bob", Score: 40}}})
	require.NoError(t, err)
	require.NoError(t, m.Handle(b, time.Unix(100, 0)))
	assert.Equal(t, uint16(3), m.Board().Players)
	assert.Equal(t, "bob", m.Name(9), "names come from the board when the player is out of view")
	assert.ErrorIs(t, m.Handle([]byte{0x91, 0x03}, time.Unix(100, 0)), netcode.ErrUnknownKind, "an input is not a server message")
	assert.Equal(t, uint64(1), m.Stats().DecodeErrors)
}

func TestSeqContinuesAcrossSessions(t *testing.T) {
	srv := newServer(t)
	m, err := match.New(srv.welcome(), 41, time.Unix(100, 0))
	require.NoError(t, err)
	assert.Equal(t, uint32(42), m.NextInput(game.Input{}, time.Unix(100, 0)).Seq)
}

func TestBadWelcome(t *testing.T) {
	for _, tc := range []struct {
		name string
		w    netcode.Welcome
	}{
		{"no tick rate", netcode.Welcome{WorldW: 100, WorldH: 100}},
		{"snapshots faster than ticks", netcode.Welcome{TickRate: 10, SnapshotRate: 20, WorldW: 100, WorldH: 100}},
		{"no world", netcode.Welcome{TickRate: 30}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := match.New(tc.w, 0, time.Unix(0, 0))
			assert.ErrorIs(t, err, match.ErrWelcome)
		})
	}
}

// The own ship is drawn between its last two predicted ticks, by how far
// into the next tick the frame is.
func TestSelfDrawnBetweenTicks(t *testing.T) {
	_, m, t0 := synced(t)
	tick := time.Second / tickRate
	var last time.Time
	for i := range 10 {
		last = t0.Add(time.Duration(i) * tick)
		m.NextInput(game.Input{Move: game.MoveRight}, last)
	}
	at := m.SelfPos(last, 0)
	half := m.SelfPos(last.Add(tick/2), 0)
	due := m.SelfPos(last.Add(tick), 0)
	late := m.SelfPos(last.Add(5*tick), 0)
	assert.Less(t, at.X, half.X)
	assert.InDelta(t, (at.X+due.X)/2, half.X, 1e-6, "half way at half a tick")
	assert.Equal(t, due, late, "held at the newest tick while the next is late")
	assert.InDelta(t, m.SelfVel().X/tickRate, due.X-at.X, 1e-9, "a tick's step apart")
}

// TestFramesExtrapolated: a frame is counted as extrapolated when it is
// drawn past the newest snapshot held, as when the snapshots stop for
// longer than the interpolation delay, and not while they arrive on time.
func TestFramesExtrapolated(t *testing.T) {
	const frame = time.Second / 60
	for _, tc := range []struct {
		name   string
		stall  time.Duration // no snapshots for this long after a second of them
		extrap bool
	}{
		{"steady snapshots", 0, false},
		{"a stall shorter than the delay", 40 * time.Millisecond, false},
		{"a stall longer than the delay", 400 * time.Millisecond, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, m, t0 := synced(t)
			now := t0
			next := t0
			for now.Before(t0.Add(time.Second)) {
				if !now.Before(next) {
					srv.step(nil)
					require.NoError(t, m.Handle(srv.snapshot(0), now))
					next = next.Add(time.Second / tickRate)
				}
				m.Others(now)
				now = now.Add(frame)
			}
			require.Zero(t, m.Stats().Extrapolated, "on time, nothing is extrapolated")
			for end := now.Add(tc.stall); now.Before(end); now = now.Add(frame) {
				m.Others(now)
			}
			st := m.Stats()
			assert.Equal(t, uint64(framesBetween(t0, now, frame)), st.Frames, "every frame is counted")
			assert.Equal(t, tc.extrap, st.Extrapolated > 0, "extrapolated %d of %d", st.Extrapolated, st.Frames)
		})
	}
}

// framesBetween counts the frames from t0 to end, one every frame.
func framesBetween(t0, end time.Time, frame time.Duration) int {
	return int((end.Sub(t0) + frame - 1) / frame)
}
