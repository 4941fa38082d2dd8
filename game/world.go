package game

import "slices"

// World is the whole arena state. Its slices are kept sorted by ID.
//
// A World is owned by one goroutine; nothing in it is safe for concurrent use.
type World struct {
	cfg    Config
	ticks  durations // cfg's tuning times in ticks; derived, so not hashed
	tick   uint32
	nextID EntityID
	rng    rng
	rewind rewindRing // the players' and drones' recent positions, for lag compensation

	players     []Player
	drones      []Drone
	projectiles []Projectile
	pellets     []Pellet
	bots        []Bot // the minds of the players that are bots (bot.go)

	// Scratch rebuilt within each Step; not state, so Clone and Hash skip it.
	targets grid      // living players (ref i) and drones (ref ^i) by position
	found   []int32   // query results
	cmds    []command // this tick's inputs
}

// NewWorld builds an arena from cfg, filling zero TickRate, Width and Height
// from the defaults, and populates its drones and pellets. It panics if the
// config is still invalid: callers that take a Config from outside call
// Validate first.
func NewWorld(cfg Config) *World {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		panic(err)
	}
	w := &World{cfg: cfg, ticks: newDurations(cfg.TickRate), nextID: 1, rng: rng{state: cfg.Seed}, rewind: newRewindRing(cfg.TickRate)}
	w.targets = newGrid(cfg.Width, cfg.Height, cellSize)
	w.drones = make([]Drone, 0, cfg.Drones)
	w.replaceDeadDrones()
	w.pellets = make([]Pellet, 0, cfg.Pellets)
	w.refillPellets()
	return w
}

// Config returns the World's config, defaults filled in.
func (w *World) Config() Config { return w.cfg }

// Tick returns how many times Step has run.
func (w *World) Tick() uint32 { return w.tick }

// Dt returns the constant time step in seconds.
func (w *World) Dt() float64 { return 1 / float64(w.cfg.TickRate) }

// Size returns the world's extent; positions lie in [0, Size].
func (w *World) Size() Vec { return Vec{w.cfg.Width, w.cfg.Height} }

// Players returns the players sorted by ID. The slice is the World's own:
// read it, do not keep it across Step, AddPlayer or RemovePlayer.
func (w *World) Players() []Player { return w.players }

// Drones returns the drones sorted by ID (read-only, as Players).
func (w *World) Drones() []Drone { return w.drones }

// Projectiles returns the projectiles sorted by ID (read-only, as Players).
func (w *World) Projectiles() []Projectile { return w.projectiles }

// Pellets returns the pellets sorted by ID (read-only, as Players).
func (w *World) Pellets() []Pellet { return w.pellets }

func (w *World) newID() EntityID {
	id := w.nextID
	w.nextID++
	return id
}

// Step advances the world one tick. Each player named in inputs runs each
// of its inputs there in turn, or none if it is held; every bot chooses its
// own input (over any given for it); the others run their last Input again
// (commands.go). Unknown IDs are ignored.
func (w *World) Step(inputs []PlayerInput) {
	w.takeInputs(inputs)
	w.stepBots()
	dt := w.Dt()
	w.stepPlayers(dt)
	w.stepDrones(dt)
	w.recordRewind()
	w.indexTargets()
	w.stepProjectiles(dt)
	if w.tick%uint32(w.ticks.contact) == 0 {
		w.droneContact()
	}
	w.replaceDeadDrones()
	w.collectPellets()
	w.refillPellets()
	w.regenerate()
	w.tick++
}

// indexTargets puts what projectiles can hit into the grid. Entities do not
// move again this tick; ones that die later in it are skipped by liveness.
func (w *World) indexTargets() {
	w.targets.reset()
	for i := range w.players {
		if w.players[i].Alive() {
			w.targets.add(w.players[i].Pos, int32(i))
		}
	}
	for i := range w.drones {
		w.targets.add(w.drones[i].Pos, ^int32(i))
	}
	w.targets.build()
}

// nearTargets returns the refs of targets whose centres may lie within reach
// of the segment from a to b.
func (w *World) nearTargets(a, b Vec, reach float64) []int32 {
	lo := Vec{min(a.X, b.X) - reach, min(a.Y, b.Y) - reach}
	hi := Vec{max(a.X, b.X) + reach, max(a.Y, b.Y) + reach}
	w.found = w.targets.query(lo, hi, w.found[:0])
	return w.found
}

// Clone returns a deep copy that steps exactly as w does.
func (w *World) Clone() *World {
	c := *w
	c.players = slices.Clone(w.players)
	c.drones = slices.Clone(w.drones)
	c.projectiles = slices.Clone(w.projectiles)
	c.pellets = slices.Clone(w.pellets)
	c.bots = slices.Clone(w.bots)
	c.rewind = w.rewind.clone()
	c.targets = newGrid(w.cfg.Width, w.cfg.Height, cellSize)
	c.found, c.cmds = nil, nil
	return &c
}
