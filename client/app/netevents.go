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
		g.sess.net.attempt, g.sess.net.url = ev.Attempt, ev.URL
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
		n := &g.sess.net
		n.state, n.joined, n.err, n.loss, n.moving = netJoined, true, nil, nil, ""
		if n.rejoined != "" {
			n.notice, n.noticeUntil, n.rejoined = n.rejoined, now.Add(noticeFor), ""
		}
		// Update runs a few times a net tick, so that keys are read often
		// enough not to miss a tap (arena.tick).
		perTick := updatesPerTick(int(ev.Welcome.TickRate))
		g.arena.pacer = netPacer{every: time.Second / time.Duration(ev.Welcome.TickRate), perTick: perTick}
		ebiten.SetTPS(int(ev.Welcome.TickRate) * perTick)
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
		n := &g.sess.net
		if n.state == netJoined {
			n.loss, n.lostAt = ev.Err, now
		}
		n.state, n.err, n.retryAt = netLost, ev.Err, now.Add(ev.Wait)
	case link.Rejected:
		g.sess.net.state, g.sess.net.err = netRejected, ev.Err
	case link.Rejoining:
		// The old game is gone: its figures (score, board, ping, the ship)
		// must not stay on screen, and the new player numbers its inputs
		// from the start.
		g.sess.match, g.sess.lastSeq = nil, 0
		n := &g.sess.net
		n.state, n.err = netConnecting, ev.Err
		n.rejoined = rejoinNotice(n.loss, now.Sub(n.lostAt))
		g.log.Info("joining again as a new player", "notice", n.rejoined)
	case link.Rematching:
		// As Rejoining, on another server: the banner says why meanwhile.
		g.sess.match, g.sess.lastSeq = nil, 0
		n := &g.sess.net
		n.state, n.err = netConnecting, ev.Err
		n.moving, n.rejoined = moveNotice(ev.Err, false), moveNotice(ev.Err, true)
		g.log.Info("moving to another server", "notice", n.moving, "err", ev.Err)
	}
}
