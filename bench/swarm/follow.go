package swarm

import (
	"context"
	"time"

	"github.com/skirmish-game/skirmish/bench/bot"
)

// A bot that lost its seat tries reseatTries new ones, waiting
// reseatBackoff, then twice that, between them.
const (
	reseatTries   = 4
	reseatBackoff = 50 * time.Millisecond
)

// follow, with a Matcher, watches b, sl's live bot, and when the fleet
// ends its session seats the slot again as a game client would: at once
// elsewhere after a drain; after a lost connection, a resume on the same
// server first and a new seat when that fails (the server is gone). It
// returns at once without a Matcher; otherwise it starts a goroutine.
func (s *Swarm) follow(ctx context.Context, sl *slot, b *bot.Bot) {
	if s.cfg.Bot.Match == nil {
		return
	}
	s.wg.Go(func() {
		for b != nil {
			select {
			case <-ctx.Done():
				return
			case <-b.Done():
			}
			b = s.reseat(ctx, sl, b)
		}
	})
}

// reseat replaces old, which has ended, and returns the new bot if it is
// live and in the slot.
func (s *Swarm) reseat(ctx context.Context, sl *slot, old *bot.Bot) *bot.Bot {
	ending := old.Ending()
	if ctx.Err() != nil || ending == bot.EndedByBench {
		return nil // the bench's doing (churn, the end of the run)
	}
	next := func() *bot.Bot { return s.newBot(sl, sl.seed+sl.moves.Add(1)<<40) }
	nb := next()
	if ending == bot.EndedLost {
		nb.Resume(old.Token(), old.URL())
	}
	ok := s.connect(ctx, nb)
	if !ok {
		nb, ok = s.seatAgain(ctx, sl)
	}
	if !sl.bot.CompareAndSwap(old, nb) {
		nb.Close() // churn took the slot meanwhile
		return nil
	}
	if !ok {
		return nil
	}
	if ending == bot.EndedDrained || !nb.Resumed() {
		s.rec.Rematches.Add(1)
	}
	return nb
}

// seatAgain tries new seats for sl, a few times with a short backoff, as a
// game client keeps trying: after a failed resume the server is gone, and a
// seat can go wrong while the fleet has not yet noticed a dead server. It
// returns the last bot tried and whether it connected.
func (s *Swarm) seatAgain(ctx context.Context, sl *slot) (*bot.Bot, bool) {
	var nb *bot.Bot
	ok := false
	for try := 0; !ok && try < reseatTries && ctx.Err() == nil; try++ {
		if try > 0 {
			select {
			case <-ctx.Done():
			case <-time.After(reseatBackoff << (try - 1)):
			}
		}
		nb = s.newBot(sl, sl.seed+sl.moves.Add(1)<<40)
		ok = s.connect(ctx, nb)
	}
	return nb, ok
}
