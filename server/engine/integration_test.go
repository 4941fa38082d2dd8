package engine

import (
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/game"
	"github.com/skirmish-game/skirmish/netcode"
)

// playResult is what one client saw while playing.
type playResult struct {
	id        uint32
	xs        map[uint32][]uint16 // entity ID -> its X in each snapshot that had it
	deltas    int                 // snapshots with a baseline
	maxSeen   int                 // most entities in one view
	lastSeq   uint32
	inputsOut uint32
}

// play has c receive n snapshots, rebuild each on its acked baseline and
// compare it with the truth: the server's world at that tick cut to what c's
// player sees. After each snapshot it sends one input with move and the ack.
func play(c *testClient, w netcode.Welcome, room string, frames *frameLog, cfg Config, n int, move func(me netcode.Entity) uint8) (playResult, error) {
	res := playResult{id: w.PlayerID, xs: make(map[uint32][]uint16)}
	rx := netcode.NewReceiver(int(w.SnapshotRate))
	for range n {
		b, err := c.next(netcode.KindSnapshot)
		if err != nil {
			return res, err
		}
		st, err := rx.Receive(b)
		if err != nil {
			return res, err
		}
		d := rx.Delta()
		if d.Baseline != 0 {
			res.deltas++
		}
		if d.LastSeq < res.lastSeq || d.LastSeq > res.inputsOut {
			return res, fmt.Errorf("tick %d: last seq %d after %d, with %d sent", st.Tick, d.LastSeq, res.lastSeq, res.inputsOut)
		}
		res.lastSeq = d.LastSeq
		world, ok := frames.get(room, st.Tick)
		if !ok {
			return res, fmt.Errorf("tick %d: no frame recorded", st.Tick)
		}
		want := truthView(world, w.PlayerID, cfg)
		if !assert.ObjectsAreEqual(want, st.Entities) {
			return res, fmt.Errorf("tick %d (baseline %d): view of %d entities differs from the truth's %d", st.Tick, d.Baseline, len(st.Entities), len(want))
		}
		res.maxSeen = max(res.maxSeen, len(st.Entities))
		for _, e := range st.Entities {
			if e.Kind == game.KindPlayer {
				res.xs[e.ID] = append(res.xs[e.ID], e.X)
			}
		}
		me, ok := find(st, w.PlayerID)
		if !ok {
			return res, fmt.Errorf("tick %d: own player missing", st.Tick)
		}
		res.inputsOut++
		c.send(&netcode.Input{Seq: res.inputsOut, Move: move(me), Ack: rx.Ack()})
	}
	return res, nil
}

// progress is how far xs went the way of dir (+1 right, -1 left).
func progress(xs []uint16, dir int) float64 {
	if len(xs) == 0 {
		return 0
	}
	return float64(dir) * (netcode.DequantizePos(xs[len(xs)-1]) - netcode.DequantizePos(xs[0]))
}

func TestTwoClientsSeeTheTruth(t *testing.T) {
	tests := []struct {
		name         string
		aoi          bool
		deltas       bool
		tickRate     int
		snapshotRate int
	}{
		{name: "aoi and deltas", aoi: true, deltas: true, tickRate: 30, snapshotRate: 30},
		{name: "everything and deltas", aoi: false, deltas: true, tickRate: 30, snapshotRate: 30},
		{name: "aoi and full snapshots", aoi: true, deltas: false, tickRate: 30, snapshotRate: 30},
		{name: "a snapshot every third tick", aoi: true, deltas: true, tickRate: 60, snapshotRate: 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig(t)
			cfg.AOI, cfg.Deltas = tt.aoi, tt.deltas
			cfg.TickRate, cfg.SnapshotRate = tt.tickRate, tt.snapshotRate
			frames := newFrameLog()
			ts := startServer(t, cfg, withFrames(frames))

			a, b := dial(t, ts.addr), dial(t, ts.addr)
			wa := a.hello("alice", "duel", "")
			wb := b.hello("bob", "duel", "")
			require.Equal(t, "duel", wa.Room)
			require.Equal(t, "duel", wb.Room)
			require.NotEqual(t, wa.PlayerID, wb.PlayerID)
			require.Equal(t, uint16(cfg.TickRate), wa.TickRate)
			require.Equal(t, uint16(game.DefaultWorldSize), wa.WorldW)
			require.False(t, wa.Resumed)
			require.NotEmpty(t, wa.Token)

			// Alice heads for the middle of the world, so no wall stops her.
			dir := 0
			aliceMove := func(me netcode.Entity) uint8 {
				if dir == 0 {
					dir = 1
					if netcode.DequantizePos(me.X) > game.DefaultWorldSize/2 {
						dir = -1
					}
				}
				if dir > 0 {
					return game.MoveRight
				}
				return game.MoveLeft
			}
			snapshots := 2 * tt.snapshotRate
			var wg sync.WaitGroup
			var ra, rb playResult
			var ea, eb error
			wg.Add(2)
			go func() { defer wg.Done(); ra, ea = play(a, wa, "duel", frames, cfg, snapshots, aliceMove) }()
			go func() {
				defer wg.Done()
				rb, eb = play(b, wb, "duel", frames, cfg, snapshots, func(netcode.Entity) uint8 { return 0 })
			}()
			wg.Wait()
			require.NoError(t, ea, "alice")
			require.NoError(t, eb, "bob")

			assert.Greater(t, progress(ra.xs[wa.PlayerID], dir), 50.0, "alice moves in her own view")
			assert.Greater(t, ra.lastSeq, uint32(snapshots/2), "alice's inputs are applied")
			assert.Equal(t, uint16(tt.snapshotRate), wa.SnapshotRate)
			if tt.deltas {
				assert.Greater(t, ra.deltas, snapshots/2, "deltas against acked baselines")
			} else {
				assert.Zero(t, ra.deltas+rb.deltas, "full snapshots only")
			}
			if tt.aoi {
				assert.Less(t, rb.maxSeen, game.DefaultDrones+game.DefaultPellets, "AOI cuts the view")
			} else {
				assert.Greater(t, progress(rb.xs[wa.PlayerID], dir), 50.0, "bob sees alice move")
			}
		})
	}
}
