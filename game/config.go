package game

import (
	"errors"
	"fmt"
)

// Named defaults for Config.
const (
	DefaultWorldSize = 4000.0
	DefaultDrones    = 200
	DefaultPellets   = 400
	DefaultTickRate  = 30
)

// Limits Validate enforces.
const (
	// MaxWorldSize keeps every position within a uint16 on the wire (PosScale units).
	MaxWorldSize = 65535 / PosScale
	// MinWorldSize leaves room for the largest entity to move.
	MinWorldSize = 8 * DroneRadius
	MaxTickRate  = 1000
	MaxDrones    = 10_000
	MaxPellets   = 100_000
)

// ErrConfig is wrapped by every error Validate returns.
var ErrConfig = errors.New("game: invalid config")

// Config sets up a World.
type Config struct {
	Seed     uint64  // seeds the World's own PRNG
	TickRate int     // ticks per second; dt = 1/TickRate
	Width    float64 // world units
	Height   float64
	Drones   int // kept constant: a destroyed drone is replaced
	Pellets  int // target count: pellets respawn up to it
}

// DefaultConfig returns the standard arena.
func DefaultConfig() Config {
	return Config{Seed: 1, TickRate: DefaultTickRate, Width: DefaultWorldSize, Height: DefaultWorldSize, Drones: DefaultDrones, Pellets: DefaultPellets}
}

// withDefaults fills zero TickRate, Width and Height. Zero Drones and Pellets
// stay zero: an arena without them is a valid (and, in tests, useful) arena.
func (c Config) withDefaults() Config {
	if c.TickRate == 0 {
		c.TickRate = DefaultTickRate
	}
	if c.Width == 0 {
		c.Width = DefaultWorldSize
	}
	if c.Height == 0 {
		c.Height = DefaultWorldSize
	}
	return c
}

// Validate reports whether NewWorld can use c (after filling zero TickRate,
// Width and Height from the defaults).
func (c Config) Validate() error {
	c = c.withDefaults()
	switch {
	case c.TickRate < 1 || c.TickRate > MaxTickRate:
		return fmt.Errorf("%w: tick rate %d outside 1..%d", ErrConfig, c.TickRate, MaxTickRate)
	case !(c.Width >= MinWorldSize && c.Width <= MaxWorldSize):
		return fmt.Errorf("%w: width %v outside %v..%v", ErrConfig, c.Width, float64(MinWorldSize), float64(MaxWorldSize))
	case !(c.Height >= MinWorldSize && c.Height <= MaxWorldSize):
		return fmt.Errorf("%w: height %v outside %v..%v", ErrConfig, c.Height, float64(MinWorldSize), float64(MaxWorldSize))
	case c.Drones < 0 || c.Drones > MaxDrones:
		return fmt.Errorf("%w: drones %d outside 0..%d", ErrConfig, c.Drones, MaxDrones)
	case c.Pellets < 0 || c.Pellets > MaxPellets:
		return fmt.Errorf("%w: pellets %d outside 0..%d", ErrConfig, c.Pellets, MaxPellets)
	}
	return nil
}
