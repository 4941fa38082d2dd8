package engine

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/game"
	"github.com/skirmish-game/skirmish/netcode"
)

// The ring answers for the views it was given as a ring of slots would:
// a view is there until forgotten, released by a newer ack, or overwritten
// by the view a ring later; and it holds buffers only for those views and a
// few spares.
func TestViewRingHoldsOnlyViewsThatMayBeABaseline(t *testing.T) {
	const slots, k = 8, 2
	v := newViewRing(slots, k)
	for tick := uint32(2); tick <= 2*slots; tick += k { // ticks 2..16: every slot
		b := v.take(tick, 100)
		require.Len(t, b, bitsetWords(100))
		b.set(int(tick))
	}
	for tick := uint32(2); tick <= 2*slots; tick += k {
		b, ok := v.at(tick, 100)
		require.True(t, ok, "tick %d", tick)
		assert.True(t, b.has(int(tick)), "tick %d keeps its own view", tick)
		assert.True(t, v.sent(tick))
	}
	assert.False(t, v.sent(18), "not sent yet")
	assert.False(t, v.sent(0))

	v.take(18, 100) // a ring after tick 2: its slot
	assert.False(t, v.sent(2), "overwritten a ring later")
	b, ok := v.at(18, 100)
	require.True(t, ok)
	assert.False(t, b.has(2), "a reused buffer is cleared")

	v.forget(18)
	assert.False(t, v.sent(18), "forgotten: not sent after all")
	v.forget(6)
	assert.False(t, v.sent(6))
	v.forget(24) // tick 8's slot, but another tick: nothing happens
	assert.True(t, v.sent(8))

	v.release(12) // the client acknowledged 12
	for _, tick := range []uint32{4, 8, 10} {
		assert.False(t, v.sent(tick), "tick %d is older than the ack", tick)
	}
	for _, tick := range []uint32{12, 14, 16} {
		assert.True(t, v.sent(tick), "tick %d may still be a baseline", tick)
	}
	assert.Len(t, v.live, 3)
	assert.LessOrEqual(t, len(v.spare), maxSpareViews, "buffers past the spares go to the garbage collector")

	v.take(20, 100)
	assert.Len(t, v.spare, maxSpareViews-1, "a spare is taken before anything is allocated")

	v.take(22, 64*v.stride+1) // the world outgrew the buffers
	assert.False(t, v.sent(12), "remade buffers forget the older views")
	assert.True(t, v.sent(22))
	assert.Empty(t, v.spare)

	v.reset()
	assert.Empty(t, v.live)
	assert.False(t, v.sent(22))
}

// The ring's answers to sent and at are a plain ring's, whatever the order
// of takes, forgets and releases: a reference ring of slots, each with its
// own buffer, is driven alongside.
func TestViewRingMatchesAPlainRing(t *testing.T) {
	const slots, k = 5, 1
	v := newViewRing(slots, k)
	ref := make([]uint32, slots) // tick of each slot; 0 = none
	ack := uint32(0)
	for tick := uint32(1); tick < 400; tick++ {
		switch {
		case tick%7 == 3: // a snapshot tick skipped, as after catch-up ticks
			continue
		case tick%11 == 5: // taken, then not sent
			v.take(tick, 70)
			v.forget(tick)
			ref[tick%slots] = 0
		default:
			v.take(tick, 70).set(int(tick % 70))
			ref[tick%slots] = tick
		}
		// Acks come 0 to 3 ticks late, now and then not at all.
		if late := tick % 4; tick%13 != 0 && tick > late && netcode.SeqNewer(tick-late, ack) && ref[(tick-late)%slots] == tick-late {
			ack = tick - late
			v.release(ack)
		}
		for back := uint32(0); back < 2*slots && back < tick; back++ {
			t0 := tick - back
			want := ref[t0%slots] == t0 && !netcode.SeqNewer(ack, t0)
			require.Equal(t, want, v.sent(t0), "tick %d, asked for %d (ack %d)", tick, t0, ack)
			if b, ok := v.at(t0, 70); want {
				require.True(t, ok)
				require.True(t, b.has(int(t0%70)), "tick %d's view", t0)
			}
		}
		require.LessOrEqual(t, len(v.live), slots)
		require.LessOrEqual(t, len(v.spare), maxSpareViews)
	}
}

// What a room keeps per client stays small while its clients keep up: a few
// views, no grown input queue. The per-client budget is the one
// BenchmarkRoomTick reports as B/client-state.
func TestClientStateStaysSmallWhileClientsKeepUp(t *testing.T) {
	cfg := DefaultConfig()
	br := newBenchRoom(t, 200, cfg)
	for range 2 * cfg.resolve().SnapshotRate {
		br.tick()
		br.drain()
	}
	for _, m := range br.r.members {
		// Acked two ticks late: the views at the ack, after it, and the
		// newest.
		require.LessOrEqual(t, len(m.views.live), 3, "player %d", m.id)
		require.LessOrEqual(t, len(m.views.spare), maxSpareViews, "player %d", m.id)
		require.Len(t, m.inputs, minInputRing, "player %d: its input queue never grew", m.id)
	}
	const budget = 1400 // bytes; 1,144 at this commit: 3 views and 2 spares of 8 words, an input ring of 4, the member, its outbox queue
	assert.LessOrEqual(t, perClientBytes(br.r), budget, "B/client-state")

	// A client that stops acknowledging holds a view a slot, and no more;
	// once it acks again it gives them back.
	m := br.r.members[0]
	for range 3 * cfg.resolve().SnapshotRate {
		br.seq++
		for _, p := range br.r.members {
			p.queue(netcode.Input{Seq: br.seq})
		}
		br.r.step(time.Now(), true)
		for _, p := range br.r.members[1:] {
			p.acknowledge(br.r.sim.Tick() - 2)
		}
		br.drain()
	}
	require.Len(t, m.views.live, br.r.rings, "a view in every slot")
	require.True(t, m.acknowledge(m.lastSent))
	assert.Len(t, m.views.live, 1, "only the acked view is left")
	assert.LessOrEqual(t, len(m.views.spare), maxSpareViews)
}

// The input queue grows from minInputRing as inputs pile up, keeping them
// in order across the ring's wrap, and past InputQueue drops the oldest,
// passing its fire press on.
func TestInputQueueGrowsInOrderThenDropsTheOldest(t *testing.T) {
	cfg := DefaultConfig()
	cfg.InputQueue = 6
	m := newMember(1, "m", "tok", cfg.resolve(), 4)
	require.Len(t, m.inputs, minInputRing)
	seq := uint32(0)
	push := func(buttons uint8) int {
		seq++
		return m.queue(netcode.Input{Seq: seq, Buttons: buttons})
	}
	for range 3 {
		push(0)
	}
	in, _ := m.next() // the head moves on, so the ring wraps when it grows
	require.Equal(t, uint32(1), in.Seq)
	for range 4 {
		require.Zero(t, push(0))
	}
	require.Len(t, m.inputs, 6, "grown, to InputQueue at most")
	require.Equal(t, 6, m.n)
	assert.Equal(t, 1, push(0), "full: the oldest is dropped")
	m.inputs[m.head].in.Buttons = game.ButtonFire // the next to drop fires
	assert.Equal(t, 1, push(0))
	var got []uint32
	fired := false
	for {
		in, ok := m.next()
		if !ok {
			break
		}
		got = append(got, in.Seq)
		if in.Seq == 4 {
			fired = in.Buttons&game.ButtonFire != 0
		}
	}
	assert.Equal(t, []uint32{4, 5, 6, 7, 8, 9}, got, "in order, the oldest two dropped")
	assert.True(t, fired, "a dropped input's fire press moves to the one behind it")
	assert.Len(t, m.inputs, 6)
}
