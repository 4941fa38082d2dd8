package app

import (
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/skirmish-game/skirmish/client/link"
	"github.com/skirmish-game/skirmish/client/match"
)

// pump handles every link event waiting, without blocking.
func (g *Game) pump(now time.Time) {
	if g.link == nil {
		return
	}
	for {
		select {
		case ev := <-g.link.Events():
			g.handle(ev, now)
		default:
			return
		}
	}
}

func (g *Game) handle(ev link.Event, now time.Time) {
	switch ev.Kind {
	case link.Dialing:
		g.net.attempt = ev.Attempt
		g.net.state = netConnecting
	case link.Joined:
		if g.match != nil {
			g.lastSeq = g.match.LastSeq()
		}
		m, err := match.New(ev.Welcome, g.lastSeq, now)
		if err != nil {
			g.log.Error("unusable welcome", "err", err)
			return
		}
		g.match = m
		g.net.state, g.net.joined, g.net.err = netJoined, true, nil
		ebiten.SetTPS(int(ev.Welcome.TickRate))
		switch g.scene.(type) {
		case *playScene, *deadScene:
		default:
			g.setScene(newPlayScene(g))
		}
	case link.Message:
		if g.match == nil {
			return
		}
		if err := g.match.Handle(ev.Data, ev.At); err != nil {
			g.log.Debug("server message", "err", err)
		}
	case link.Lost:
		g.net.state, g.net.err, g.net.retryAt = netLost, ev.Err, now.Add(ev.Wait)
	case link.Rejected:
		g.net.state, g.net.err = netRejected, ev.Err
	}
}
