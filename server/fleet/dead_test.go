package fleet_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/server/engine"
	"github.com/skirmish-game/skirmish/server/fleet/fleettest"
)

// A server that dies without a word stays in the others' directories
// until its silence times out. Quick play, which tries the fullest public
// rooms first, must not spend every try of a match on its rooms meanwhile:
// the first seat request no one answers takes it out.
func TestMatchSkipsADeadServer(t *testing.T) {
	fl := fleettest.New(t)
	ecfg := engine.DefaultConfig()
	ecfg.WebDir, ecfg.FillBots = "", 0
	fcfg := fl.Config()
	fcfg.FillTarget = 2
	a, b := fl.Start(ecfg, fcfg), fl.Start(ecfg, fcfg)
	// B holds more half-full public rooms than a match has tries.
	const rooms = 5
	for range rooms {
		_, err := b.Reserve("", "192.0.2.1", time.Minute)
		require.NoError(t, err)
	}
	roomsOnB := func() int {
		var r struct {
			Rooms []struct {
				Server string `json:"server"`
			} `json:"rooms"`
		}
		resp, err := http.Get(a.HTTP + "/rooms")
		require.NoError(t, err)
		defer resp.Body.Close()
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&r))
		n := 0
		for _, x := range r.Rooms {
			if x.Server == b.Node.ID() {
				n++
			}
		}
		return n
	}
	require.Eventually(t, func() bool { return roomsOnB() == rooms }, 5*time.Second, 20*time.Millisecond, "A sees B's rooms")

	b.Kill()
	resp, err := http.Post(a.HTTP+"/match", "application/json", bytes.NewBufferString(`{}`))
	require.NoError(t, err)
	defer resp.Body.Close()
	var m struct {
		URL, Error string
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&m))
	require.Equal(t, http.StatusOK, resp.StatusCode, "POST /match: %s", m.Error)
	assert.Equal(t, a.URL, m.URL, "seated on the server that is alive")
	assert.NotContains(t, a.Servers(), b.Node.ID(), "and A forgot B at once")
}
