package engine

import (
	"net"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/netcode"
)

func TestShutdownClosesClientsWithGoingAway(t *testing.T) {
	ts := startServer(t, testConfig(t))
	a, b := dial(t, ts.addr), dial(t, ts.addr)
	a.hello("a", "", "")
	b.hello("b", "", "")
	_, err := a.next(netcode.KindSnapshot)
	require.NoError(t, err)

	ts.cancel()
	select {
	case err := <-ts.served:
		require.NoError(t, err)
		ts.served <- err // for the cleanup
	case <-time.After(waitFor):
		t.Fatal("Serve did not return")
	}
	e := a.requireClose(netcode.CloseGoingAway, true)
	assert.Contains(t, e.Text, "shutting down")
	b.requireClose(netcode.CloseGoingAway, true)
	_, err = net.DialTimeout("tcp", ts.addr, time.Second)
	assert.Error(t, err, "the listener is closed")
	rooms, players := ts.rooms.stats()
	assert.Zero(t, rooms)
	assert.Zero(t, players)
}

// A panic in a room's tick closes that room's clients with 1011; other rooms
// and the process carry on, and the room's name can be used again.
func TestRoomPanicIsContained(t *testing.T) {
	var panicky atomic.Bool
	cfg := testConfig(t)
	doomed := roomSeed(cfg.Seed, "doomed")
	cfg.NewSim = func(tickRate int, seed uint64) Sim {
		if seed == doomed {
			return newCounterSim(&panicky)(tickRate, seed)
		}
		return newCounterSim(nil)(tickRate, seed)
	}
	ts := startServer(t, cfg)
	victim := dial(t, ts.addr)
	victim.hello("victim", "doomed", "")
	bystander := dial(t, ts.addr)
	bystander.hello("bystander", "fine", "")

	panicky.Store(true)
	victim.requireClose(netcode.CloseInternal, true)
	panicky.Store(false)
	assert.Equal(t, 1.0, counterValue(t, ts.m.roomPanics))
	for range 3 {
		_, err := bystander.next(netcode.KindSnapshot)
		require.NoError(t, err, "the other room carries on")
	}

	again := dial(t, ts.addr)
	w := again.hello("again", "doomed", "")
	assert.Equal(t, "doomed", w.Room)
	_, err := again.next(netcode.KindSnapshot)
	require.NoError(t, err, "a new room of the same name runs")

	resp, err := http.Get("http://" + ts.addr + "/healthz")
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	assert.Equal(t, http.StatusOK, resp.StatusCode, "the process lives")
}
