package swarm

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/skirmish-game/skirmish/bench/bot"
)

// Named defaults and limits.
const (
	DefaultRoomPrefix = "bench-"
	// maxShards is how many scheduler goroutines drive inputs. Each sends for
	// its bots in turn on its own phase of the tick, which spreads the
	// swarm's writes over the tick instead of one burst.
	maxShards = 16
	// warnFailures is how many connect failures are logged at warn level;
	// the rest are counted.
	warnFailures = 3
)

// ErrConfig is wrapped by every error Validate returns.
var ErrConfig = errors.New("swarm: invalid config")

// Config describes a swarm.
type Config struct {
	Bot        bot.Config
	Bots       int
	PerRoom    int           // bots per room; rooms are RoomPrefix0, RoomPrefix1...
	RoomPrefix string        // DefaultRoomPrefix when empty
	Room       string        // when set, every bot joins this one room (PerRoom is ignored)
	Ramp       time.Duration // connects are spread evenly over it; 0 = all at once
	TickRate   int           // inputs per second per bot
	Seed       uint64
	// Churn, when positive, takes one bot out every Churn after the ramp
	// and brings it back at once, alternating between a normal close and a
	// new player, and a dropped connection whose player is resumed with its
	// session token; a bot found closed is reconnected. Soaks use it to
	// exercise the server's connect, close and resume paths.
	Churn time.Duration
	// Observers is how many bots of each room apply every snapshot in full
	// and check it, as a game client does; the rest are lean (bot.NewLean)
	// and read only each snapshot's head, so that the swarm costs far less
	// CPU than the server it loads.
	Observers int
	// Share, when Of > 1, makes this swarm one worker's part of a run
	// spread over Of of them: it holds the run's bots Index, Index+Of,
	// Index+2*Of, ... of Bots, each named, seeded, roomed and ramped as in a
	// run of one process, so the workers together are that run.
	Share Share
}

// Share is one worker's part of a distributed run.
type Share struct {
	Index, Of int
}

// owns reports whether the share holds the run's bot i.
func (s Share) owns(i int) bool { return s.Of <= 1 || i%s.Of == s.Index }

// Validate checks c.
func (c Config) Validate() error {
	var errs []error
	if c.Bot.URL == "" {
		errs = append(errs, fmt.Errorf("%w: no url", ErrConfig))
	}
	if c.Bots <= 0 || c.PerRoom <= 0 {
		errs = append(errs, fmt.Errorf("%w: bots %d and per-room %d must be positive", ErrConfig, c.Bots, c.PerRoom))
	}
	if c.Observers < 0 {
		errs = append(errs, fmt.Errorf("%w: observers %d must not be negative", ErrConfig, c.Observers))
	}
	if c.Ramp < 0 || c.Churn < 0 {
		errs = append(errs, fmt.Errorf("%w: negative ramp %v or churn %v", ErrConfig, c.Ramp, c.Churn))
	}
	if c.Share.Of > 1 && (c.Share.Index < 0 || c.Share.Index >= c.Share.Of || c.Share.Index >= c.Bots) {
		errs = append(errs, fmt.Errorf("%w: share %d of %d of %d bots", ErrConfig, c.Share.Index, c.Share.Of, c.Bots))
	}
	if c.TickRate <= 0 {
		errs = append(errs, fmt.Errorf("%w: tick rate %d must be positive", ErrConfig, c.TickRate))
	}
	if c.Bot.ConnectTimeout <= 0 || c.Bot.PingInterval <= 0 {
		errs = append(errs, fmt.Errorf("%w: connect timeout and ping interval must be positive", ErrConfig))
	}
	return errors.Join(errs...)
}

// ObserverCount is how many of c's bots are observers.
func (c Config) ObserverCount() int {
	if c.Room != "" {
		return min(c.Observers, c.Bots)
	}
	full, rest := c.Bots/c.PerRoom, c.Bots%c.PerRoom
	return full*min(c.Observers, c.PerRoom) + min(c.Observers, rest)
}

// Rooms is how many rooms c's bots fill.
func (c Config) Rooms() int { return (c.Bots + c.PerRoom - 1) / c.PerRoom }

// Swarm is a set of bots and the goroutines that connect and drive them.
type Swarm struct {
	cfg      Config
	rec      *bot.Recorder
	log      *slog.Logger
	slots    []*slot // the share's bots, in the run's order
	ramped   chan struct{}
	cancel   context.CancelFunc
	wg       sync.WaitGroup
	failures atomic.Int64
	churn    churnCounts
}

// slot is one seat of the swarm. Churn replaces its bot (a Bot connects only
// once), so the schedulers load it each tick.
type slot struct {
	bot  atomic.Pointer[bot.Bot]
	name string
	room string
	seed uint64
	at   int    // the bot's place in the run: its connect is at at*Ramp/Bots
	gen  uint64 // bots this slot has had; owned by the churn goroutine
	// moves counts the bots follow seated again, which vary its seeds
	// apart from churn's.
	moves atomic.Uint64
	// observer: the slot's bots apply every snapshot; otherwise they are lean.
	observer bool
}

// newBot is a fresh bot for sl, of the slot's kind.
func (s *Swarm) newBot(sl *slot, seed uint64) *bot.Bot {
	if sl.observer {
		return bot.New(&s.cfg.Bot, s.rec, sl.name, sl.room, seed)
	}
	return bot.NewLean(&s.cfg.Bot, s.rec, sl.name, sl.room, seed)
}

// New prepares a swarm; nothing connects before Start.
func New(cfg Config, rec *bot.Recorder, log *slog.Logger) (*Swarm, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.RoomPrefix == "" {
		cfg.RoomPrefix = DefaultRoomPrefix
	}
	s := &Swarm{cfg: cfg, rec: rec, log: log, ramped: make(chan struct{})}
	for i := range cfg.Bots {
		if !cfg.Share.owns(i) {
			continue
		}
		room, inRoom := cfg.Room, i
		if room == "" {
			room, inRoom = fmt.Sprintf("%s%d", cfg.RoomPrefix, i/cfg.PerRoom), i%cfg.PerRoom
			if cfg.Bot.Match != nil {
				room = "" // quick play: the fleet picks the rooms
			}
		}
		sl := &slot{name: fmt.Sprintf("bot%d", i), room: room, seed: cfg.Seed + uint64(i), at: i, observer: inRoom < cfg.Observers}
		sl.bot.Store(s.newBot(sl, sl.seed))
		s.slots = append(s.slots, sl)
	}
	return s, nil
}

// Start begins the ramp and the input schedulers and returns at once.
func (s *Swarm) Start(ctx context.Context) {
	ctx, s.cancel = context.WithCancel(ctx)
	period := time.Second / time.Duration(s.cfg.TickRate)
	shards := min(maxShards, len(s.slots))
	for k := range shards {
		var mine []*slot
		for i := k; i < len(s.slots); i += shards {
			mine = append(mine, s.slots[i])
		}
		phase := period * time.Duration(k) / time.Duration(shards)
		s.wg.Go(func() { drive(ctx, mine, period, phase) })
	}
	s.wg.Go(func() { s.ramp(ctx) })
	if s.cfg.Churn > 0 {
		s.wg.Go(func() { s.churnLoop(ctx) })
	}
}

// Ramped is closed once every bot's connect attempt has ended.
func (s *Swarm) Ramped() <-chan struct{} { return s.ramped }

// ramp starts bot i's connect at i*Ramp/Bots and closes ramped when all have
// finished.
func (s *Swarm) ramp(ctx context.Context) {
	var connects sync.WaitGroup
	defer func() {
		connects.Wait()
		close(s.ramped)
	}()
	start := time.Now()
	timer := time.NewTimer(0)
	defer timer.Stop()
	for _, sl := range s.slots {
		b := sl.bot.Load()
		at := start.Add(s.cfg.Ramp * time.Duration(sl.at) / time.Duration(s.cfg.Bots))
		timer.Reset(time.Until(at))
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		}
		connects.Go(func() {
			ok := s.connect(ctx, b)
			if !ok && s.cfg.Bot.Match != nil && ctx.Err() == nil {
				// Seated by a fleet, a bot whose first seat failed (its
				// server died under the handshake, say) asks for another.
				nb, seated := s.seatAgain(ctx, sl)
				switch {
				case nb == nil:
				case sl.bot.CompareAndSwap(b, nb):
					b, ok = nb, seated
					if ok {
						s.rec.Rematches.Add(1)
					}
				default:
					nb.Close() // churn took the slot meanwhile
				}
			}
			if ok {
				s.follow(ctx, sl, b)
			}
		})
	}
}

// connect connects b, logging the first few failures.
func (s *Swarm) connect(ctx context.Context, b *bot.Bot) bool {
	err := b.Connect(ctx)
	if err != nil && ctx.Err() == nil {
		level := slog.LevelDebug
		if s.failures.Add(1) <= warnFailures {
			level = slog.LevelWarn
		}
		s.log.Log(ctx, level, "bot connect failed", "err", err)
	}
	return err == nil
}

// drive sends one input per bot per period, starting after phase.
func drive(ctx context.Context, slots []*slot, period, phase time.Duration) {
	select {
	case <-ctx.Done():
		return
	case <-time.After(phase):
	}
	ticker := time.NewTicker(period)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-ticker.C:
			for _, sl := range slots {
				sl.bot.Load().Step(now)
			}
		}
	}
}

// Stop ends the ramp and the schedulers, closes every bot normally and
// waits up to timeout for their connections to end. It returns an error
// naming how many did not.
func (s *Swarm) Stop(timeout time.Duration) error {
	if s.cancel != nil {
		s.cancel()
	}
	s.wg.Wait() // the ramp waits for connects, which end within the connect timeout
	for _, sl := range s.slots {
		sl.bot.Load().Close()
	}
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for i, sl := range s.slots {
		select {
		case <-sl.bot.Load().Done():
		case <-deadline.C:
			return fmt.Errorf("swarm: %d of %d bots still open after %v", len(s.slots)-i, len(s.slots), timeout)
		}
	}
	return nil
}
