package bot

import (
	"fmt"
	"testing"
	"time"

	"github.com/skirmish-game/skirmish/game"
	"github.com/skirmish-game/skirmish/netcode"
)

// views builds two consecutive views of n entities in which every moving
// one (players and drones, about half) changed position.
func views(n int) (prev, cur *netcode.State) {
	prev, cur = &netcode.State{Tick: 1}, &netcode.State{Tick: 2}
	for i := range n {
		e := netcode.Entity{ID: uint32(i + 1), Kind: game.KindPellet, X: uint16(i * 7), Y: uint16(i * 13)}
		switch i % 4 {
		case 0:
			e.Kind, e.Name, e.HP = game.KindPlayer, fmt.Sprintf("bot%d", i), 100
		case 1:
			e.Kind, e.HP = game.KindDrone, 3
		}
		prev.Entities = append(prev.Entities, e)
		if e.Kind != game.KindPellet {
			e.X, e.VX = e.X+5, 80
		}
		cur.Entities = append(cur.Entities, e)
	}
	return prev, cur
}

// BenchmarkApplySnapshot is one bot's cost per snapshot in steady state:
// decode, find the baseline, apply, track latency and the behavior's view.
func BenchmarkApplySnapshot(b *testing.B) {
	for _, n := range []int{100, 1600} {
		b.Run(fmt.Sprintf("entities=%d", n), func(b *testing.B) {
			prev, cur := views(n)
			full := netcode.AppendDelta(nil, new(netcode.Diff(nil, prev)))
			d := netcode.Diff(prev, cur)
			d.LastSeq = 1
			delta := netcode.AppendDelta(nil, &d)

			bt := New(&Config{Behavior: Fight}, NewRecorder(), "b", "r", 1)
			bt.playerID = 1
			now := time.Now()
			bt.handle(full, now)
			b.SetBytes(int64(len(delta)))
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				bt.handle(delta, now)
			}
			b.StopTimer()
			if e := bt.rec.Errors.Load(); e != 0 {
				b.Fatalf("%d errors: %v", e, bt.rec.ErrorKinds())
			}
		})
	}
}
