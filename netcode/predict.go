package netcode

import (
	"fmt"
	"math"
	"time"

	"github.com/skirmish-game/skirmish/game"
)

// Named defaults for PredictorConfig.
const (
	// DefaultPredictorHistory is how many unacknowledged inputs are kept for
	// replay: about 8 s at 30 Hz, far more than any playable round trip.
	DefaultPredictorHistory = 256
	// DefaultCorrectionSmoothing is the time constant of the exponential decay
	// of the visual correction offset: after it, 37% of an error is left.
	DefaultCorrectionSmoothing = 100 * time.Millisecond
	// DefaultCorrectionSnap is the error, in world units, past which a
	// correction is a teleport (respawn, push across the map) and is shown at
	// once instead of gliding across the screen.
	DefaultCorrectionSnap = 200.0
)

// Positions are on a 1/PosScale grid, so a difference far below one cell is
// float noise, not a misprediction.
const correctionEpsilon = 1e-6

// An offset this small is invisible; zeroing it makes RenderPos return the exact
// predicted position again.
const offsetRest = 1e-3

// PredictorConfig sets up a Predictor. Zero fields other than Dt and Size take
// the named defaults.
type PredictorConfig struct {
	Dt           float64       // seconds per server tick (1/Welcome.TickRate)
	Size         game.Vec      // world size (Welcome.WorldW, WorldH)
	History      int           // inputs kept for replay; the oldest is dropped past it
	Smoothing    time.Duration // decay time constant of the visual correction
	SnapDistance float64       // corrections larger than this snap instead of decaying
}

func (c *PredictorConfig) fill() {
	if c.History == 0 {
		c.History = DefaultPredictorHistory
	}
	if c.Smoothing == 0 {
		c.Smoothing = DefaultCorrectionSmoothing
	}
	if c.SnapDistance == 0 {
		c.SnapDistance = DefaultCorrectionSnap
	}
}

// Validate reports the first unusable field.
func (c PredictorConfig) Validate() error {
	switch {
	case !(c.Dt > 0) || math.IsInf(c.Dt, 0):
		return fmt.Errorf("netcode: predictor dt %v is not a positive duration", c.Dt)
	case !(c.Size.X > 0) || !(c.Size.Y > 0):
		return fmt.Errorf("netcode: predictor world size %v is not positive", c.Size)
	case c.History < 1:
		return fmt.Errorf("netcode: predictor history %d is below 1", c.History)
	case c.Smoothing <= 0:
		return fmt.Errorf("netcode: predictor smoothing %v is not positive", c.Smoothing)
	case !(c.SnapDistance > 0):
		return fmt.Errorf("netcode: predictor snap distance %v is not positive", c.SnapDistance)
	}
	return nil
}

type pendingInput struct {
	seq uint32
	in  game.Input
}

// Predictor runs the client's own player ahead of the server: every input is
// applied at once with game.MovePlayer (the code the server runs) and kept
// until the server acknowledges it; each server state is then taken as truth
// and the unacknowledged inputs are replayed on top. A mismatch is shown as a
// visual offset that decays, so the player glides to the corrected position
// instead of jumping. Not safe for concurrent use.
type Predictor struct {
	cfg PredictorConfig

	ring []pendingInput // unacknowledged inputs, oldest at head
	head int
	n    int

	lastSeq  uint32     // newest seq predicted
	acked    uint32     // newest seq the server has applied
	ackedIn  game.Input // the input the server applied at acked: it persists there
	synced   bool       // a server state has been taken
	player   game.Player
	offset   game.Vec
	corrects uint64
	lastErr  float64
	lives    uint64
}

// NewPredictor returns a Predictor with the named defaults for a server that
// ticks every dt seconds in a world of the given size. It panics on a
// non-positive dt or size, which is a programming error; use
// NewPredictorWithConfig to get an error instead.
func NewPredictor(dt float64, size game.Vec) *Predictor {
	p, err := NewPredictorWithConfig(PredictorConfig{Dt: dt, Size: size})
	if err != nil {
		panic(err)
	}
	return p
}

// NewPredictorWithConfig returns a Predictor, filling zero fields of cfg with
// the named defaults.
func NewPredictorWithConfig(cfg PredictorConfig) (*Predictor, error) {
	cfg.fill()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Predictor{cfg: cfg, ring: make([]pendingInput, cfg.History)}, nil
}

// Reset forgets everything, as for a new session.
func (p *Predictor) Reset() {
	*p = Predictor{cfg: p.cfg, ring: p.ring}
}

// Predict applies the input the client is sending with sequence number seq to
// the predicted player and keeps it for replay. A seq that is not newer than
// the last one predicted or acknowledged is ignored.
//
// The wire carries Aim as float32, so it is narrowed here too: the server and
// the replay then snap exactly the same value to the angle grid.
func (p *Predictor) Predict(seq uint32, in game.Input) {
	if (p.lastSeq != 0 && !SeqNewer(seq, p.lastSeq)) || (p.synced && !SeqNewer(seq, p.acked)) {
		return
	}
	in.Aim = float64(float32(in.Aim))
	if p.n == len(p.ring) {
		p.pop()
	}
	p.ring[(p.head+p.n)%len(p.ring)] = pendingInput{seq: seq, in: in}
	p.n++
	p.lastSeq = seq
	game.MovePlayer(&p.player, in, p.cfg.Dt, p.cfg.Size)
}

// Reconcile takes the server's state of the player after it applied input
// lastSeq (0: none yet), replays the inputs sent since, and turns any
// difference from the previous prediction into a correction. It returns false,
// doing nothing, for an update older than one already reconciled (lastSeq
// behind); an update with the same lastSeq is taken again, since the server
// may have moved the player on by repeating that input.
func (p *Predictor) Reconcile(server Entity, lastSeq uint32) bool {
	if p.synced && SeqNewer(p.acked, lastSeq) {
		return false
	}
	for p.n > 0 && !SeqNewer(p.ring[p.head].seq, lastSeq) {
		if p.ring[p.head].seq == lastSeq {
			p.ackedIn = p.ring[p.head].in
		}
		p.pop()
	}
	prev, wasAlive := p.player.Pos, p.player.Alive()
	p.player = PlayerFromEntity(server)
	p.player.Input = p.ackedIn
	for i := 0; i < p.n; i++ {
		game.MovePlayer(&p.player, p.ring[(p.head+i)%len(p.ring)].in, p.cfg.Dt, p.cfg.Size)
	}
	p.acked = lastSeq
	if SeqNewer(lastSeq, p.lastSeq) {
		p.lastSeq = lastSeq
	}
	if !p.synced {
		p.synced = true
		return true
	}
	d := prev.Sub(p.player.Pos)
	mag := d.Len()
	if mag <= correctionEpsilon {
		return true
	}
	// A death (the ship stops where it was hit) and a respawn (it appears
	// elsewhere) are the server's news, which no prediction could have
	// had: counted apart, so that Corrections counts mispredictions only.
	if wasAlive != p.player.Alive() {
		p.lives++
	} else {
		p.corrects++
		p.lastErr = mag
	}
	p.offset = p.offset.Add(d)
	if mag > p.cfg.SnapDistance || p.offset.Len() > p.cfg.SnapDistance {
		p.offset = game.Vec{}
	}
	return true
}

func (p *Predictor) pop() {
	p.head = (p.head + 1) % len(p.ring)
	p.n--
}

// RenderPos advances the decay of the correction offset by frameDt, the time
// since the previous frame, and returns where to draw the player: the
// predicted position plus what is left of the offset. Call it once per frame.
func (p *Predictor) RenderPos(frameDt time.Duration) game.Vec {
	if frameDt > 0 {
		p.offset = p.offset.Scale(math.Exp(-float64(frameDt) / float64(p.cfg.Smoothing)))
	}
	if p.offset.Len() < offsetRest {
		p.offset = game.Vec{}
	}
	return p.player.Pos.Add(p.offset)
}

// Player returns the predicted state of the player.
func (p *Predictor) Player() game.Player { return p.player }

// Offset returns what is left of the visual correction offset.
func (p *Predictor) Offset() game.Vec { return p.offset }

// Corrections counts server states that disagreed with the prediction, but
// for those that brought a death or a respawn (LifeCorrections).
func (p *Predictor) Corrections() uint64 { return p.corrects }

// LifeCorrections counts server states that moved the player because it
// died or respawned.
func (p *Predictor) LifeCorrections() uint64 { return p.lives }

// LastCorrection is the size, in world units, of the latest correction
// (not counting those of LifeCorrections).
func (p *Predictor) LastCorrection() float64 { return p.lastErr }

// Pending counts inputs sent and not yet acknowledged by the server.
func (p *Predictor) Pending() int { return p.n }

// Acked returns the newest input seq the server has acknowledged, and whether
// any server state has been reconciled yet.
func (p *Predictor) Acked() (uint32, bool) { return p.acked, p.synced }
