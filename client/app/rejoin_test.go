package app

import (
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/client/link"
	"github.com/skirmish-game/skirmish/game"
	"github.com/skirmish-game/skirmish/netcode"
)

func TestRejoinNotice(t *testing.T) {
	restarted, expired := "The server restarted: joined again", "The session expired: joined again"
	for _, tc := range []struct {
		name   string
		loss   error
		outage time.Duration
		want   string
	}{
		{"shutdown, back quickly", &link.Refusal{Code: netcode.CloseGoingAway, Text: "server shutting down"}, 2 * time.Second, restarted},
		{"shutdown, back after a long while", &link.Refusal{Code: netcode.CloseGoingAway}, time.Minute, restarted},
		{"crash: the connection dropped, refused at once", errors.New("connection reset by peer"), 3 * time.Second, restarted},
		{"away past the grace", errors.New("connection reset by peer"), resumeGrace + time.Second, expired},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, rejoinNotice(tc.loss, tc.outage))
		})
	}
}

// A game lost to a restart: the old match and its figures go at the 4006,
// and the next welcome starts a new one with the notice up.
func TestRejoinClearsTheOldGame(t *testing.T) {
	now := time.Now()
	g := &Game{log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	g.scene = newPlayScene(&g.arena)
	welcome := netcode.Welcome{PlayerID: 7, Room: "r1", TickRate: 30, SnapshotRate: 30, WorldW: 4000, WorldH: 4000, Token: "tok-1"}
	g.handle(link.Event{Kind: link.Joined, Welcome: welcome}, now)
	require.NotNil(t, g.sess.match)
	for range 5 {
		g.sess.match.NextInput(game.Input{}, now)
	}

	g.handle(link.Event{Kind: link.Lost, Err: &link.Refusal{Code: netcode.CloseGoingAway, Text: "server shutting down"}}, now)
	g.handle(link.Event{Kind: link.Dialing, Attempt: 2}, now.Add(time.Second))
	g.handle(link.Event{Kind: link.Lost, Err: errors.New("connection refused")}, now.Add(time.Second))
	g.handle(link.Event{Kind: link.Rejoining, Err: &link.Refusal{Code: netcode.CloseResumeFailed}}, now.Add(2*time.Second))
	assert.Nil(t, g.sess.match, "no stale figures while the new player joins")
	assert.Equal(t, StateReconnecting, g.state())
	assert.Empty(t, g.sess.net.notice, "not before the welcome")

	later := now.Add(3 * time.Second)
	welcome.PlayerID, welcome.Token = 9, "tok-2"
	g.handle(link.Event{Kind: link.Joined, Welcome: welcome}, later)
	require.NotNil(t, g.sess.match)
	assert.Equal(t, uint32(9), g.sess.match.SelfID())
	assert.Equal(t, uint32(1), g.sess.match.NextInput(game.Input{}, later).Seq, "a new player numbers from 1")
	assert.Equal(t, StatePlaying, g.state())
	assert.Equal(t, "The server restarted: joined again", g.sess.net.notice)
	assert.Equal(t, later.Add(noticeFor), g.sess.net.noticeUntil)
}
