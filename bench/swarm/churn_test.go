package swarm

import (
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/bench/bot"
	"github.com/skirmish-game/skirmish/bench/serverproc"
	"github.com/skirmish-game/skirmish/server/engine/enginetest"
)

// startServer runs an engine with the bench child's limits (every bot is one
// address) on 127.0.0.1:0 for the test and returns its WebSocket URL.
func startServer(t *testing.T) string {
	t.Helper()
	cfg := serverproc.EngineConfig(serverproc.Options{TickRate: 30, RoomCapacity: 10, MaxRooms: 4, MaxConnsPerIP: 100, AOI: true, Deltas: true, Seed: 1})
	return enginetest.NewServer(t, cfg).URL
}

func TestChurnReconnectsAndResumes(t *testing.T) {
	rec := bot.NewRecorder()
	cfg := config(startServer(t), 4, 0)
	cfg.Churn = 20 * time.Millisecond
	s, err := New(cfg, rec, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	s.Start(t.Context())
	require.Eventually(t, func() bool {
		c := s.Churned()
		return c.Reconnects >= 3 && c.Resumes >= 3
	}, 20*time.Second, 10*time.Millisecond, "churn cycles both ways")
	require.NoError(t, s.Stop(5*time.Second))

	c := s.Churned()
	assert.Zero(t, c.ResumesRefused, "every dropped player was resumed with its token")
	assert.Zero(t, c.Failed)
	assert.Zero(t, c.Revived, "no bot was closed by the server")
	assert.Zero(t, rec.Errors.Load(), "error kinds %v, close codes %v", rec.ErrorKinds(), rec.CloseCodes())
	assert.Zero(t, rec.Connected.Load(), "every bot, old or new, is closed")
	assert.GreaterOrEqual(t, rec.Welcomed.Load(), uint64(4+6))
}

func TestNoChurnByDefault(t *testing.T) {
	rec := bot.NewRecorder()
	s, err := New(config(startServer(t), 2, 0), rec, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	s.Start(t.Context())
	<-s.Ramped()
	require.NoError(t, s.Stop(5*time.Second))
	assert.Equal(t, ChurnStats{}, s.Churned())
	assert.Equal(t, uint64(2), rec.Welcomed.Load())
}
