package floor

import (
	"errors"
	"fmt"
)

// Named defaults for Config.
const (
	DefaultTickRate = 30
	// DefaultSnapshotBytes is about what the engine sent each player per
	// tick in the pinned 1,000-player reference room (67.3 KB/s at 30 Hz).
	DefaultSnapshotBytes = 2200
	// DefaultMaxFrameBytes is the largest client message read, the engine's
	// default, so that both servers refuse the same frames.
	DefaultMaxFrameBytes = 4096
	// DefaultSocketSendBuffer is the kernel send buffer of each connection,
	// the engine's, so that both servers' sockets fill alike.
	DefaultSocketSendBuffer = 64 << 10
)

// Limits of Config, so that a snapshot stays a message every client decodes.
const (
	minSnapshotBytes = 64 // a head, a tail and one drone, so every size is honoured
	maxSnapshotBytes = 1 << 20
	maxTickRate      = 128
)

// ErrConfig is wrapped by every Validate error.
var ErrConfig = errors.New("floor: bad config")

// Config is the floor server's configuration.
type Config struct {
	TickRate      int // snapshots per second to each client, and the Welcome's rates
	SnapshotBytes int // the size of each snapshot message, within one entity's encoding
	MaxFrameBytes int
	SendBuffer    int // SO_SNDBUF of each connection; 0 = the system's
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config {
	return Config{TickRate: DefaultTickRate, SnapshotBytes: DefaultSnapshotBytes, MaxFrameBytes: DefaultMaxFrameBytes, SendBuffer: DefaultSocketSendBuffer}
}

// Validate reports the first setting out of range.
func (c Config) Validate() error {
	switch {
	case c.TickRate < 1 || c.TickRate > maxTickRate:
		return fmt.Errorf("%w: tick rate %d not in 1..%d", ErrConfig, c.TickRate, maxTickRate)
	case c.SnapshotBytes < minSnapshotBytes || c.SnapshotBytes > maxSnapshotBytes:
		return fmt.Errorf("%w: snapshot bytes %d not in %d..%d", ErrConfig, c.SnapshotBytes, minSnapshotBytes, maxSnapshotBytes)
	case c.MaxFrameBytes < 64:
		return fmt.Errorf("%w: max frame bytes %d below 64", ErrConfig, c.MaxFrameBytes)
	case c.SendBuffer < 0:
		return fmt.Errorf("%w: send buffer %d is negative", ErrConfig, c.SendBuffer)
	}
	return nil
}
