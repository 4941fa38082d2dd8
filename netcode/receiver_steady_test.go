package netcode_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/netcode"
	"github.com/skirmish-game/skirmish/netcode/netcodetest"
)

// The Receiver in steady state, from outside the package so that it shares
// its fixture with the bots' benchmark (netcodetest imports netcode).

// steadyReceiver returns a Receiver that has applied a second of snapshots
// of n entities, and the steady delta message (netcodetest) it keeps
// receiving with rewritten ticks: every view held is cur, any baseline fits.
func steadyReceiver(tb testing.TB, n int) (r *netcode.Receiver, cur *netcode.State, msg []byte) {
	const start = netcodetest.Start
	prev, cur := netcodetest.Views(n)
	msg = netcodetest.SteadyDelta(prev, cur)
	r = netcode.NewReceiver(30)
	full := netcodetest.Full(prev)
	_, err := r.Apply(&full)
	require.NoError(tb, err)
	for tick := uint32(start + 1); tick <= start+31; tick++ {
		netcodetest.SetTicks(msg, tick, tick-1)
		_, err = r.Receive(msg)
		require.NoError(tb, err)
	}
	require.Equal(tb, uint32(start+31), r.Ack())
	require.Equal(tb, uint32(start+31), r.Delta().Tick, "the ticks are where SetTicks writes them")
	require.Equal(tb, uint32(start+30), r.Delta().Baseline)
	return r, cur, msg
}

// ackLag is how far behind its snapshot the steady-state baseline is: about
// a 100 ms round trip at 30 Hz.
const ackLag = 3

func TestReceiveAllocatesNothing(t *testing.T) {
	r, cur, msg := steadyReceiver(t, 100)
	tick := r.Ack()
	allocs := testing.AllocsPerRun(100, func() {
		tick++
		netcodetest.SetTicks(msg, tick, tick-ackLag)
		if _, err := r.Receive(msg); err != nil {
			t.Fatalf("tick %d: %v", tick, err)
		}
	})
	assert.Zero(t, allocs)
	assert.Equal(t, tick, r.Ack())
	assert.Equal(t, cur.Entities, r.Latest().Entities)
	assert.Equal(t, 30, r.Held())
}

// BenchmarkReceive is a client's cost per snapshot in steady state: decode,
// find the baseline, apply into a recycled slot.
func BenchmarkReceive(b *testing.B) {
	for _, n := range []int{100, 1600} {
		b.Run(fmt.Sprintf("entities=%d", n), func(b *testing.B) {
			r, _, msg := steadyReceiver(b, n)
			tick := r.Ack()
			b.SetBytes(int64(len(msg)))
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				tick++
				netcodetest.SetTicks(msg, tick, tick-ackLag)
				if _, err := r.Receive(msg); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
