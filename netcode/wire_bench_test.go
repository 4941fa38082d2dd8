package netcode

import (
	"math/rand/v2"
	"testing"

	"github.com/skirmish-game/skirmish/game"
)

// wireBenchStates returns n+1 successive views of one client seeing about
// 100 entities, where about 30% of them move each tick and now and then one
// appears or goes.
func wireBenchStates(n int) []State {
	r := rand.New(rand.NewPCG(3, 4))
	s := State{Tick: 1}
	for id := uint32(1); id <= 100; id++ {
		e := Entity{ID: id * 3, Kind: game.Kind(1 + r.IntN(4)), X: uint16(r.IntN(64000)), Y: uint16(r.IntN(64000)), HP: 100}
		if e.Kind == game.KindPlayer {
			e.Name = "player"
		}
		s.Entities = append(s.Entities, e)
	}
	states := []State{s}
	for range n {
		next := State{Tick: s.Tick + 1, Entities: append([]Entity(nil), s.Entities...)}
		for i := range next.Entities {
			if r.IntN(10) < 3 {
				e := &next.Entities[i]
				e.VX, e.VY = int16(r.IntN(8000)-4000), int16(r.IntN(8000)-4000)
				e.X += uint16(e.VX / 30)
				e.Y += uint16(e.VY / 30)
			}
		}
		if r.IntN(4) == 0 { // one entity is replaced by a new one
			i := r.IntN(len(next.Entities) - 1)
			next.Entities = append(next.Entities[:i], next.Entities[i+1:]...)
			last := next.Entities[len(next.Entities)-1]
			next.Entities = append(next.Entities, Entity{ID: last.ID + 1, Kind: game.KindProjectile, X: last.X, Y: last.Y, VX: 9000, Owner: 3})
		}
		states = append(states, next)
		s = next
	}
	return states
}

func BenchmarkDiffEncode(b *testing.B) {
	states := wireBenchStates(64)
	var d Delta
	buf := make([]byte, 0, 8<<10)
	var bytes int
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		k := i % (len(states) - 1)
		DiffInto(&d, &states[k], &states[k+1])
		buf = AppendDelta(buf[:0], &d)
		bytes += len(buf)
	}
	b.ReportMetric(float64(bytes)/float64(b.N), "B/snapshot")
}

func BenchmarkDecodeDelta(b *testing.B) {
	states := wireBenchStates(64)
	frames := make([][]byte, len(states)-1)
	for k := range frames {
		frames[k] = AppendDelta(nil, new(Diff(&states[k], &states[k+1])))
	}
	var d Delta
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		if err := DecodeDelta(frames[i%len(frames)], &d); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeApplyDelta(b *testing.B) {
	states := wireBenchStates(64)
	frames := make([][]byte, len(states)-1)
	for k := range frames {
		frames[k] = AppendDelta(nil, new(Diff(&states[k], &states[k+1])))
	}
	var d Delta
	var dst State
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		k := i % len(frames)
		if err := DecodeDelta(frames[k], &d); err != nil {
			b.Fatal(err)
		}
		if err := ApplyInto(&dst, &states[k], &d); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCaptureWorld(b *testing.B) {
	w := wirePlayWorld(b, 100, 60)
	dst := CaptureWorld(nil, w)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		dst = CaptureWorld(dst, w)
	}
	b.ReportMetric(float64(len(dst)), "entities")
}

func BenchmarkDecodeInput(b *testing.B) {
	frame, err := Append(nil, &Input{Seq: 1234, Move: game.MoveUp | game.MoveLeft, Aim: 2.5, Buttons: game.ButtonFire, Ack: 1230})
	if err != nil {
		b.Fatal(err)
	}
	var in Input
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if err := DecodeInput(frame, &in); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAppendInput(b *testing.B) {
	in := Input{Seq: 1234, Move: game.MoveUp | game.MoveLeft, Aim: 2.5, Buttons: game.ButtonFire, Ack: 1230}
	buf := make([]byte, 0, 64)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		var err error
		if buf, err = Append(buf[:0], &in); err != nil {
			b.Fatal(err)
		}
	}
}
