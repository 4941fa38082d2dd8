package bot

import (
	"fmt"
	"testing"
	"time"

	"github.com/skirmish-game/skirmish/netcode"
	"github.com/skirmish-game/skirmish/netcode/netcodetest"
)

// BenchmarkApplySnapshot is one bot's cost per snapshot in steady state:
// decode, find the baseline, apply, track latency and the behavior's view.
// Each snapshot is a tick newer and names the view three ticks back (a
// 100 ms round trip at 30 Hz); the delta sets absolute values, so it gives
// cur from any held view.
func BenchmarkApplySnapshot(b *testing.B) {
	const ackLag = 3
	for _, n := range []int{100, 1600} {
		b.Run(fmt.Sprintf("entities=%d", n), func(b *testing.B) {
			prev, cur := netcodetest.Views(n)
			full := netcodetest.Full(prev)
			delta := netcodetest.SteadyDelta(prev, cur)

			bt := welcomed(b, 30, 30)
			now := time.Now()
			bt.handle(netcode.AppendDelta(nil, &full), now)
			tick := uint32(netcodetest.Start)
			for range 30 { // a second: every slot of the bot's ring holds a view
				tick++
				netcodetest.SetTicks(delta, tick, tick-1)
				bt.handle(delta, now)
			}
			b.SetBytes(int64(len(delta)))
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				tick++
				netcodetest.SetTicks(delta, tick, tick-ackLag)
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
