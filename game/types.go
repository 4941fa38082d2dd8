package game

// EntityID names an entity for its whole life. IDs are never reused within a World.
type EntityID uint32

// Kind says what an entity is.
type Kind uint8

// The kinds of entity. The values are part of the wire protocol.
const (
	KindPlayer     Kind = 1
	KindDrone      Kind = 2
	KindProjectile Kind = 3
	KindPellet     Kind = 4
)

// Move bits: an 8-way direction is any combination of these (opposites cancel).
const (
	MoveUp    uint8 = 1 << 0
	MoveDown  uint8 = 1 << 1
	MoveLeft  uint8 = 1 << 2
	MoveRight uint8 = 1 << 3
	MoveMask        = MoveUp | MoveDown | MoveLeft | MoveRight
)

// Button bits.
const (
	ButtonFire  uint8 = 1 << 0
	ButtonsMask       = ButtonFire
)

// Quantization grid. The World snaps every player's position and velocity to
// this grid at the end of each tick, and aims to the angle grid when an input is
// applied, so the quantized state on the wire is exactly the server's state and
// the client's prediction can replay from it without drift.
const (
	PosScale   = 16    // position units per world unit: 4000*16 fits a uint16
	VelScale   = 16    // velocity units per world unit per second: fits an int16
	AngleSteps = 65536 // one full turn, so an angle fits a uint16
)

// Vec is a 2D vector in world units.
type Vec struct{ X, Y float64 }

// Input is what one player wants for one tick.
type Input struct {
	Move    uint8   // MoveUp|MoveDown|MoveLeft|MoveRight bits
	Aim     float64 // radians; snapped to the angle grid when applied
	Buttons uint8   // ButtonFire
	// Seq numbers the input for the shots it fires (Projectile.Seq); the
	// simulation does nothing else with it.
	Seq uint32
	// Rewind is how many ticks behind the world the player saw the other
	// players when it gave this input (lag compensation, rewind.go).
	Rewind float64
}

// PlayerInput pairs an input with the player it is for.
type PlayerInput struct {
	ID    EntityID
	Input Input
	// Hold: the player's input for this tick has not come, so it waits:
	// it neither moves nor fires this tick, and Input is ignored.
	Hold bool
}

// Player is a ship controlled by a person or a bot.
type Player struct {
	ID       EntityID
	Name     string
	Pos      Vec
	Vel      Vec
	Aim      float64 // radians, on the angle grid
	HP       int     // 0..MaxHP; 0 while dead
	Score    int
	Best     int      // the highest Score it has had since it joined: the session best
	Respawn  int      // ticks until respawn; > 0 means dead
	KilledBy EntityID // who killed it last (0 = none or a drone)
	Cooldown int      // ticks until it can fire again
	Input    Input    // the input applied on every tick until a new one comes
}

// Alive reports whether the player is in play.
func (p *Player) Alive() bool { return p.Respawn == 0 }

// Drone is a wandering NPC that can be shot for points.
type Drone struct {
	ID   EntityID
	Pos  Vec
	Vel  Vec
	HP   int
	Turn float64 // radians per second; drifts randomly so the drone's path curves smoothly
}

// Projectile is a shot in flight.
type Projectile struct {
	ID    EntityID
	Owner EntityID
	Pos   Vec
	Vel   Vec
	TTL   int // ticks left
	// Seq is the sequence number of the owner's input that fired it, so
	// that the owner's client can match it with the shot it predicted.
	Seq uint32
	// Rewind is how many ticks back it sees players, from its owner's
	// input: it hits them where they were then (rewind.go).
	Rewind float64
}

// Pellet is a pickup worth score.
type Pellet struct {
	ID    EntityID
	Pos   Vec
	Value int
}
