package app

import (
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/skirmish-game/skirmish/client/link"
	"github.com/skirmish-game/skirmish/client/match"
)

// pump handles every link event waiting, without blocking.
func (g *Game) pump(now time.Time) {
	if g.sess.link == nil {
		return
	}
	for {
		select {
		case ev := <-g.sess.link.Events():
			g.handle(ev, now)
		default:
			return
		}
	}
}

func (g *Game) handle(ev link.Event, now time.Time) {
	switch ev.Kind {
	case link.Dialing:
		g.sess.net.attempt = ev.Attempt
		g.sess.net.state = netConnecting
	case link.Joined:
		if g.sess.match != nil {
			g.sess.lastSeq = g.sess.match.LastSeq()
		}
		m, err := match.New(ev.Welcome, g.sess.lastSeq, now)
		if err != nil {
			g.log.Error("unusable welcome", "err", err)
			return
		}
		g.sess.match = m
		g.sess.net.state, g.sess.net.joined, g.sess.net.err = netJoined, true, nil
		ebiten.SetTPS(int(ev.Welcome.TickRate))
		switch g.scene.(type) {
		case *playScene, *deadScene:
		default:
			g.setScene(newPlayScene(&g.arena))
		}
	case link.Message:
		if g.sess.match == nil {
			return
		}
		if err := g.sess.match.Handle(ev.Data, ev.At); err != nil {
			g.log.Debug("server message", "err", err)
		}
	case link.Lost:
		g.sess.net.state, g.sess.net.err, g.sess.net.retryAt = netLost, ev.Err, now.Add(ev.Wait)
	case link.Rejected:
		g.sess.net.state, g.sess.net.err = netRejected, ev.Err
	}
}
