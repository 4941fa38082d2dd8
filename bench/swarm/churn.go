package swarm

import (
	"context"
	"math/rand/v2"
	"sync/atomic"
	"time"
)

// ChurnStats counts what churn did. A cycle that fails to connect counts in
// Failed and in the recorder's errors; its slot is tried again later.
type ChurnStats struct {
	Reconnects     uint64 // closed normally, came back as a new player
	Resumes        uint64 // dropped without a close, came back with the token
	ResumesRefused uint64 // of Resumes: welcomed as a new player, not resumed
	Revived        uint64 // found closed (by the server, or a failed churn) and reconnected
	Failed         uint64 // connects that failed
}

type churnCounts struct {
	reconnects, resumes, refused, revived, failed atomic.Uint64
}

// Churned returns the churn so far.
func (s *Swarm) Churned() ChurnStats {
	c := &s.churn
	return ChurnStats{
		Reconnects: c.reconnects.Load(), Resumes: c.resumes.Load(), ResumesRefused: c.refused.Load(),
		Revived: c.revived.Load(), Failed: c.failed.Load(),
	}
}

// churnLoop cycles one random bot every Churn once the ramp is over. It runs
// one cycle at a time: on loopback a cycle takes milliseconds, and a server
// slow to answer shows as a slower churn rather than a pile of connects.
func (s *Swarm) churnLoop(ctx context.Context) {
	select {
	case <-ctx.Done():
		return
	case <-s.ramped:
	}
	rng := rand.New(rand.NewPCG(s.cfg.Seed, 0xc4a7)) // reproducible choice of bots
	ticker := time.NewTicker(s.cfg.Churn)
	defer ticker.Stop()
	resume := false
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
		s.cycle(ctx, s.slots[rng.IntN(len(s.slots))], resume)
		resume = !resume
	}
}

// cycle takes sl's bot out and connects a fresh one in its place: resumed
// with the old one's token when resume is set and the old one was live.
func (s *Swarm) cycle(ctx context.Context, sl *slot, resume bool) {
	old := sl.bot.Load()
	live := old.Live()
	token, url := "", old.URL()
	switch {
	case !live:
		// Closed by the server or a failed cycle: nothing to take out.
	case resume:
		token = old.Token()
		old.Drop()
	default:
		old.Close()
	}
	// The old session must be over on our side before the new one starts,
	// or a normal close may not have freed its seat yet.
	wait := time.NewTimer(s.cfg.Bot.ConnectTimeout)
	select {
	case <-old.Done():
	case <-wait.C:
	case <-ctx.Done():
	}
	wait.Stop()
	if ctx.Err() != nil {
		return
	}
	sl.gen++
	nb := s.newBot(sl, sl.seed+sl.gen<<32)
	if token != "" {
		nb.Resume(token, url)
	}
	ok := s.connect(ctx, nb)
	// A bot that failed to connect is done; the next cycle revives the
	// slot. A slot that follow moved meanwhile keeps its bot.
	if !sl.bot.CompareAndSwap(old, nb) {
		nb.Close()
		return
	}
	if ok {
		s.follow(ctx, sl, nb)
	}
	c := &s.churn
	switch {
	case !ok:
		if ctx.Err() == nil {
			c.failed.Add(1)
		}
	case !live:
		c.revived.Add(1)
	case token != "":
		c.resumes.Add(1)
		if !nb.Resumed() {
			c.refused.Add(1)
		}
	default:
		c.reconnects.Add(1)
	}
}
