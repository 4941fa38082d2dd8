package bot

import (
	"encoding/binary"
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
// Each snapshot is a tick newer and names the view three ticks back (a
// 100 ms round trip at 30 Hz); the delta sets absolute values, so it gives
// cur from any held view.
func BenchmarkApplySnapshot(b *testing.B) {
	const start, ackLag = 1 << 20, 3 // ticks above 65535 are written as uint32 at fixed offsets
	for _, n := range []int{100, 1600} {
		b.Run(fmt.Sprintf("entities=%d", n), func(b *testing.B) {
			prev, cur := views(n)
			full := netcode.Diff(nil, prev)
			full.Tick = start
			d := netcode.Diff(prev, cur)
			d.Tick, d.Baseline, d.LastSeq = start+1, start, 1
			delta := netcode.AppendDelta(nil, &d)
			setTicks := func(tick, baseline uint32) {
				binary.BigEndian.PutUint32(delta[3:7], tick)
				binary.BigEndian.PutUint32(delta[8:12], baseline)
			}

			bt := welcomed(b, 30, 30)
			now := time.Now()
			bt.handle(netcode.AppendDelta(nil, &full), now)
			tick := uint32(start)
			for range 30 { // a second: every slot of the bot's ring holds a view
				tick++
				setTicks(tick, tick-1)
				bt.handle(delta, now)
			}
			b.SetBytes(int64(len(delta)))
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				tick++
				setTicks(tick, tick-ackLag)
				bt.handle(delta, now)
			}
			b.StopTimer()
			if e := bt.rec.Errors.Load(); e != 0 {
				b.Fatalf("%d errors: %v", e, bt.rec.ErrorKinds())
			}
			if bt.ack != tick {
				b.Fatalf("ack %d, want %d", bt.ack, tick)
			}
		})
	}
}
