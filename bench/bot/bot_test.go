package bot

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/game"
	"github.com/skirmish-game/skirmish/netcode"
	"github.com/skirmish-game/skirmish/netcode/netcodetest"
)

// welcomed returns a bot that has taken a Welcome with these rates.
func welcomed(t testing.TB, tickRate, snapRate uint16) *Bot {
	return welcome(t, New(&Config{Behavior: Fight}, NewRecorder(), "b", "r", 1), tickRate, snapRate)
}

func welcome(t testing.TB, b *Bot, tickRate, snapRate uint16) *Bot {
	w, err := netcode.Append(nil, &netcode.Welcome{Kind: netcode.KindWelcome, PlayerID: 1, Room: "r",
		TickRate: tickRate, SnapshotRate: snapRate, WorldW: 4000, WorldH: 4000})
	require.NoError(t, err)
	b.handle(w, time.Now())
	require.Zero(t, b.rec.Errors.Load(), "%v", b.rec.FirstErrors())
	return b
}

// TestLeanBotAcksEverySnapshot: a lean bot acks each newer snapshot as it
// arrives, without building the world, and refuses what a Receiver would
// that it can tell from the head: a stale tick, a baseline it never acked.
func TestLeanBotAcksEverySnapshot(t *testing.T) {
	prev, cur := netcodetest.Views(8)
	msg := func(tick, baseline, lastSeq uint32, from, to *netcode.State) []byte {
		d := netcode.Diff(from, to)
		d.Tick, d.Baseline, d.LastSeq = tick, baseline, lastSeq
		return netcode.AppendDelta(nil, &d)
	}
	steps := []struct {
		name      string
		data      []byte
		ack       uint32
		taken     uint64
		missed    uint64
		errorKind string
	}{
		{name: "full", data: msg(3, 0, 0, nil, prev), ack: 3, taken: 1},
		{name: "delta from the ack", data: msg(6, 3, 1, prev, cur), ack: 6, taken: 2},
		{name: "a snapshot skipped", data: msg(12, 6, 2, cur, prev), ack: 12, taken: 3, missed: 1},
		{name: "baseline received but never acked", data: msg(15, 12, 3, cur, prev), ack: 12, taken: 3, missed: 1, errorKind: ErrKindBaseline},
		{name: "stale", data: msg(12, 6, 3, cur, prev), ack: 12, taken: 3, missed: 1, errorKind: ErrKindApply},
		{name: "an older ack within the second", data: msg(15, 3, 3, prev, cur), ack: 15, taken: 4, missed: 1},
		{name: "not a snapshot", data: []byte{0x96, 4}, ack: 15, taken: 4, missed: 1, errorKind: ErrKindDecode},
	}
	b := welcome(t, NewLean(&Config{Behavior: Wander}, NewRecorder(), "b", "r", 1), 30, 10)
	b.sent[1] = sentInput{seq: 1, at: time.Now()}
	for _, st := range steps {
		before := b.rec.ErrorKinds()[st.errorKind]
		b.handle(st.data, time.Now())
		assert.Equal(t, st.ack, b.ack, st.name)
		assert.Equal(t, st.taken, b.rec.SnapshotsAcked.Load(), st.name)
		assert.Equal(t, st.missed, b.rec.TicksMissed.Load(), st.name)
		if st.errorKind != "" {
			assert.Equal(t, before+1, b.rec.ErrorKinds()[st.errorKind], st.name)
		}
		// The ack as the next input carries it; 12 is kept back to test a
		// baseline the server could not have been told of.
		b.mu.Lock()
		if b.ack != 12 {
			b.noteAckLocked(b.ack)
		}
		b.mu.Unlock()
	}
	assert.Zero(t, b.rec.SnapshotsApplied.Load(), "a lean bot applies nothing")
	assert.Zero(t, b.rec.ObserverSnapshots.Load())
	assert.Nil(t, b.rx, "nor holds any view")
	assert.Equal(t, uint64(1), b.rec.Latency.Snapshot(nil).Total(), "input 1 timed by the head's last seq")
}

func TestSnapshotsAppliedAndAcked(t *testing.T) {
	prev, cur := netcodetest.Views(8)
	msg := func(tick, baseline uint32, from, to *netcode.State) []byte {
		d := netcode.Diff(from, to)
		d.Tick, d.Baseline = tick, baseline
		return netcode.AppendDelta(nil, &d)
	}
	steps := []struct {
		name      string
		data      []byte
		ack       uint32
		applied   uint64
		missed    uint64
		errorKind string
	}{
		{name: "full", data: msg(3, 0, nil, prev), ack: 3, applied: 1},
		{name: "delta from the ack", data: msg(6, 3, prev, cur), ack: 6, applied: 2},
		{name: "a snapshot skipped", data: msg(12, 6, cur, prev), ack: 12, applied: 3, missed: 1},
		{name: "baseline never sent", data: msg(15, 9, cur, prev), ack: 12, applied: 3, missed: 1, errorKind: ErrKindBaseline},
		{name: "stale", data: msg(12, 6, cur, prev), ack: 12, applied: 3, missed: 1, errorKind: ErrKindApply},
		{name: "baseline within the second", data: msg(15, 3, prev, cur), ack: 15, applied: 4, missed: 1},
	}
	b := welcomed(t, 30, 10)
	for _, st := range steps {
		before := b.rec.ErrorKinds()[st.errorKind]
		b.handle(st.data, time.Now())
		assert.Equal(t, st.ack, b.ack, st.name)
		assert.Equal(t, st.applied, b.rec.SnapshotsApplied.Load(), st.name)
		assert.Equal(t, st.missed, b.rec.TicksMissed.Load(), st.name)
		if st.errorKind != "" {
			assert.Equal(t, before+1, b.rec.ErrorKinds()[st.errorKind], st.name)
		}
	}
	assert.Equal(t, uint64(2), b.rec.Errors.Load())
}

// TestLatencyAcrossSeqWrap: a snapshot whose LastSeq has wrapped past 0
// still covers the inputs sent before the wrap.
func TestLatencyAcrossSeqWrap(t *testing.T) {
	tests := []struct {
		name      string
		lastSeq   uint32 // covered before this snapshot
		sent      []uint32
		covers    uint32 // the snapshot's LastSeq
		wantCount uint64
	}{
		{name: "no wrap", lastSeq: 10, sent: []uint32{11, 12, 13}, covers: 13, wantCount: 3},
		{name: "across the wrap", lastSeq: math.MaxUint32 - 2, sent: []uint32{math.MaxUint32 - 1, math.MaxUint32, 1}, covers: 1, wantCount: 3},
		{name: "older than covered", lastSeq: 5, sent: []uint32{3, 4}, covers: 4, wantCount: 0},
		{name: "more than remembered", lastSeq: 0, sent: []uint32{1, 2, sentSlots + 1, sentSlots + 2}, covers: sentSlots + 2, wantCount: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := welcomed(t, 30, 30)
			b.lastSeq = tt.lastSeq
			for _, seq := range tt.sent {
				b.sent[seq%sentSlots] = sentInput{seq: seq, at: time.Now()}
			}
			d := netcode.Delta{Tick: 1, LastSeq: tt.covers}
			b.handle(netcode.AppendDelta(nil, &d), time.Now())
			require.Zero(t, b.rec.Errors.Load(), "%v", b.rec.FirstErrors())
			assert.Equal(t, tt.wantCount, b.rec.Latency.Snapshot(nil).Total(), "latencies recorded")
			if tt.wantCount > 0 {
				assert.Equal(t, tt.covers, b.lastSeq)
			}
		})
	}
}

func TestParseBehavior(t *testing.T) {
	tests := []struct {
		in      string
		want    Behavior
		wantErr bool
	}{
		{in: "idle", want: Idle},
		{in: "wander", want: Wander},
		{in: "fight", want: Fight},
		{in: "dance", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var b Behavior
			err := b.Set(tt.in)
			if tt.wantErr {
				assert.ErrorIs(t, err, ErrBehavior)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, b)
			assert.Equal(t, tt.in, b.String())
		})
	}
}

func TestMind(t *testing.T) {
	now := time.Unix(0, 0)
	world := view{worldW: 4000, worldH: 4000}
	tests := []struct {
		name  string
		b     Behavior
		v     view
		check func(t *testing.T, in game.Input)
	}{
		{name: "idle sends zero input", b: Idle, v: world, check: func(t *testing.T, in game.Input) {
			assert.Zero(t, in)
		}},
		{name: "wander never fires", b: Wander, v: view{hasTarget: true, targetAim: 1, worldW: 4000, worldH: 4000}, check: func(t *testing.T, in game.Input) {
			assert.Zero(t, in.Buttons)
			assert.LessOrEqual(t, math.Abs(in.Aim), math.Pi)
		}},
		{name: "fight aims at its target and fires", b: Fight, v: view{hasTarget: true, targetAim: 1.25, worldW: 4000, worldH: 4000}, check: func(t *testing.T, in game.Input) {
			assert.Equal(t, game.ButtonFire, in.Buttons)
			assert.Equal(t, 1.25, in.Aim)
		}},
		{name: "fight without a target holds fire", b: Fight, v: world, check: func(t *testing.T, in game.Input) {
			assert.Zero(t, in.Buttons)
		}},
		{name: "near the top-left corner it heads inwards", b: Wander, v: view{self: game.Vec{X: 10, Y: 10}, hasSelf: true, worldW: 4000, worldH: 4000}, check: func(t *testing.T, in game.Input) {
			if in.Move != 0 {
				assert.Equal(t, game.MoveDown|game.MoveRight, in.Move)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := mind{behavior: tt.b, rng: rand.New(rand.NewPCG(1, 2))}
			for i := range 200 {
				in := m.next(now.Add(time.Duration(i)*100*time.Millisecond), tt.v)
				assert.Zero(t, in.Move&^game.MoveMask)
				tt.check(t, in)
			}
		})
	}
}

func TestFrameHeaderLen(t *testing.T) {
	tests := []struct {
		name   string
		n      int
		masked bool
		want   int
	}{
		{name: "small server frame", n: 20, want: 2},
		{name: "small client frame", n: 20, masked: true, want: 6},
		{name: "medium", n: 126, want: 4},
		{name: "large", n: 70000, masked: true, want: 14},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, frameHeaderLen(tt.n, tt.masked))
		})
	}
}

func TestSeeFindsNearestLivingPlayer(t *testing.T) {
	b := New(&Config{Behavior: Fight}, NewRecorder(), "b", "r", 1)
	b.playerID = 5
	pos := func(v float64) uint16 { return netcode.QuantizePos(v) }
	st := &netcode.State{Tick: 9, Entities: []netcode.Entity{
		{ID: 2, Kind: game.KindPlayer, X: pos(100), Y: pos(200)},            // 100 away, straight down
		{ID: 3, Kind: game.KindPlayer, X: pos(110), Y: pos(100), Timer: 30}, // nearer but dead
		{ID: 4, Kind: game.KindDrone, X: pos(101), Y: pos(100)},             // nearer but a drone
		{ID: 5, Kind: game.KindPlayer, X: pos(100), Y: pos(100)},            // itself
		{ID: 6, Kind: game.KindPlayer, X: pos(100), Y: pos(400)},            // farther
	}}
	b.see(st)
	require.True(t, b.view.hasSelf)
	require.True(t, b.view.hasTarget)
	assert.InDelta(t, math.Pi/2, b.view.targetAim, 1e-9)
}

func TestTotalsAddUp(t *testing.T) {
	parts := []*Recorder{NewRecorder(), NewRecorder()}
	whole := NewRecorder()
	for i, r := range parts {
		for _, rec := range []*Recorder{r, whole} {
			rec.Connect.Record(time.Duration(i+1) * time.Millisecond)
			rec.RTT.Record(time.Duration(10*(i+1)) * time.Millisecond)
			rec.SnapshotsAcked.Add(uint64(100 * (i + 1)))
			rec.fail(ErrKindConnect, fmt.Errorf("refused %d", i))
			rec.closed(4008)
		}
	}
	parts[1].TickRate.Store(30)
	merged := NewRecorder()
	for _, r := range parts {
		require.NoError(t, merged.AddTotals(r.Totals()))
	}
	assert.Equal(t, whole.Connect.Snapshot(nil), merged.Connect.Snapshot(nil))
	assert.Equal(t, 20*time.Millisecond, merged.RTT.TakeMax())
	assert.Equal(t, uint64(300), merged.SnapshotsAcked.Load())
	assert.Equal(t, uint64(2), merged.Errors.Load())
	assert.Equal(t, map[string]uint64{ErrKindConnect: 2}, merged.ErrorKinds())
	assert.Equal(t, map[string]string{ErrKindConnect: "refused 0"}, merged.FirstErrors(), "the first worker's first error")
	assert.Equal(t, map[uint16]uint64{4008: 2}, merged.CloseCodes())
	assert.Equal(t, uint32(30), merged.TickRate.Load(), "from the worker that knew it")
}
