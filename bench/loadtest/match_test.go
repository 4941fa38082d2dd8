package loadtest

import (
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/bench/bot"
	"github.com/skirmish-game/skirmish/netcode"
	"github.com/skirmish-game/skirmish/server/engine"
	"github.com/skirmish-game/skirmish/server/fleet"
	"github.com/skirmish-game/skirmish/server/fleet/fleettest"
)

// ticketedFleet is two servers A and B that admit only ticketed players,
// where quick play fills rooms of 5, and a 10-bot run against A.
func ticketedFleet(t *testing.T) (a, b *fleettest.Member, fcfg fleet.Config, cfg Config) {
	fl := fleettest.New(t)
	ecfg := engine.DefaultConfig()
	ecfg.WebDir, ecfg.FillBots = "", 0
	fcfg = fl.Config()
	fcfg.RequireTicket = true
	fcfg.FillTarget = 5 // ten bots fill two rooms, one on each server
	fcfg.DrainTimeout = 300 * time.Millisecond
	a, b = fl.Start(ecfg, fcfg), fl.Start(ecfg, fcfg)
	require.Eventually(t, func() bool { return len(a.Servers()) == 2 }, 5*time.Second, 20*time.Millisecond, "A sees B")
	cfg = shortConfig()
	cfg.URL, cfg.Bots, cfg.Behavior = a.URL, 10, bot.Wander
	return a, b, fcfg, cfg
}

// seatsOn counts the seats taken on m's rooms.
func seatsOn(m *fleettest.Member) int {
	n := 0
	for _, r := range m.Rooms() {
		n += r.Players
	}
	return n
}

func TestDirectBotsRefusedByTicketedFleet(t *testing.T) {
	_, _, _, cfg := ticketedFleet(t)
	rep, err := testRunner(t).Run(t.Context(), cfg)
	require.NoError(t, err)
	assert.Zero(t, rep.BotsConnected)
	assert.Equal(t, uint64(cfg.Bots), rep.CloseCodes[strconv.Itoa(int(netcode.CloseTicketRequired))], "close codes %v", rep.CloseCodes)
}

// With -match the bots are seated through POST /match on -url's server,
// spread over the fleet by quick play, and follow their server's drain
// (no error) or death (the lost connections and the failed resumes are
// errors) to the other server.
func TestMatchAgainstTicketedFleet(t *testing.T) {
	for _, tc := range []struct {
		name   string
		end    func(b *fleettest.Member)
		errors map[string]uint64
		closes string // the close code B's bots saw
	}{
		{name: "drain", end: (*fleettest.Member).Drain, errors: map[string]uint64{}, closes: "1001"},
		{name: "death", end: (*fleettest.Member).Kill, errors: map[string]uint64{bot.ErrKindClosed: 5, bot.ErrKindConnect: 5}, closes: "1006"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, b, fcfg, cfg := ticketedFleet(t)
			cfg.Match = true
			ended := make(chan struct{})
			go func() {
				defer close(ended)
				// Once B's room is full: polled, not guessed.
				deadline := time.After(cfg.Duration)
				poll := time.NewTicker(10 * time.Millisecond)
				defer poll.Stop()
				for seatsOn(b) < fcfg.FillTarget {
					select {
					case <-deadline:
						t.Error("B never held its room's bots")
						return
					case <-poll.C:
					}
				}
				tc.end(b)
			}()
			rep, err := testRunner(t).Run(t.Context(), cfg)
			<-ended
			require.NoError(t, err)
			// tc.errors are exact for a drain. For a death they are the
			// most common case: each of the killed server's bots loses its
			// connection (closed, 1006) and fails its resume there (connect).
			// But a bot still in its handshake when the server dies fails its
			// first connect instead of losing a connection, and how many more
			// seats fail before one holds is timing (the fleet noticing the
			// death); so each of B's bots errs at least once, with no other
			// kind of error.
			closes := rep.CloseCodes[tc.closes]
			if tc.closes == "1001" {
				assert.Equal(t, tc.errors, rep.ErrorKinds, "first errors %v", rep.FirstErrors)
				assert.Equal(t, uint64(fcfg.FillTarget), closes, "close codes %v", rep.CloseCodes)
			} else {
				var lost uint64
				for kind, n := range rep.ErrorKinds {
					assert.Contains(t, tc.errors, kind, "first errors %v", rep.FirstErrors)
					lost += n
				}
				assert.GreaterOrEqual(t, lost, uint64(fcfg.FillTarget), "first errors %v", rep.FirstErrors)
				assert.Positive(t, closes, "close codes %v", rep.CloseCodes)
				assert.LessOrEqual(t, closes, uint64(fcfg.FillTarget), "close codes %v", rep.CloseCodes)
			}
			assert.Equal(t, cfg.Bots, rep.BotsConnected)
			assert.Equal(t, uint64(fcfg.FillTarget), rep.Rematches, "B's bots were seated again")
			if tc.closes == "1001" {
				assert.True(t, b.Stopped(5*time.Second), "the drained server stopped")
			}
		})
	}
}
