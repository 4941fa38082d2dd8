package attack

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/skirmish-game/skirmish/bench/loopback"
)

// Named defaults of Config.
const (
	DefaultHonest     = 50
	DefaultWebDir     = "build/web"
	DefaultAttackerIP = "127.0.0.2" // the hostile client's source address
	DefaultProbeIP    = "127.0.0.3" // a new honest player's source address
	DefaultTickRate   = 30
	// DefaultCooldown is how long after a row's attack ends its "after" RSS
	// and open files are read: long enough for the server to close what the
	// attack left, short enough that a row stays bounded.
	DefaultCooldown = 3 * time.Second
)

// Limits Validate enforces.
const (
	maxHonest = 1000
	wsPath    = "/ws"
)

// ErrConfig is wrapped by every error Validate and ParseRows return.
var ErrConfig = errors.New("attack: invalid config")

// Config is one replay.
type Config struct {
	Rows []int // row numbers, 1..len(Rows())

	// URL is an external server's WebSocket URL on loopback; empty = start
	// a fresh child server for every row.
	URL string
	// Pid is the external server's process id, for RSS and open files.
	Pid int
	// WebDir is the built web client. With a child server it is copied into
	// a scratch directory that row 8 plants its files in; with URL it must
	// be the external server's -web directory, or row 8 is skipped.
	WebDir string
	// ServerFlags are extra server flags for the child (as for go run
	// ./server), applied over the engine's defaults.
	ServerFlags []string

	Honest     int    // honest bots playing during every row
	AttackerIP string // loopback source address of the attacks
	ProbeIP    string // loopback source address of a new honest player
	TickRate   int    // the honest bots' input rate; the child's tick rate
	Cooldown   time.Duration
}

// DefaultConfig returns the configuration of `go run ./bench -attack all`.
func DefaultConfig() Config {
	return Config{
		Rows: allRows(), WebDir: DefaultWebDir, Honest: DefaultHonest,
		AttackerIP: DefaultAttackerIP, ProbeIP: DefaultProbeIP, TickRate: DefaultTickRate, Cooldown: DefaultCooldown,
	}
}

func allRows() []int {
	rows := make([]int, len(Rows()))
	for i := range rows {
		rows[i] = i + 1
	}
	return rows
}

// RegisterFlags binds the attack flags other than -attack itself (see
// ParseRows) and -url (shared with the load test) to fs.
func (c *Config) RegisterFlags(fs *flag.FlagSet) {
	fs.IntVar(&c.Pid, "attack-pid", c.Pid, "attack with -url: the server's process id, for its RSS and open files")
	fs.StringVar(&c.WebDir, "attack-web", c.WebDir, "attack: the built web client (with -url: the server's -web dir, where row 8 plants files)")
	fs.IntVar(&c.Honest, "attack-honest", c.Honest, "attack: honest bots playing during each row")
	fs.StringVar(&c.AttackerIP, "attack-ip", c.AttackerIP, "attack: loopback source address of the attacker")
	fs.StringVar(&c.ProbeIP, "attack-probe-ip", c.ProbeIP, "attack: loopback source address of a new honest player")
	fs.DurationVar(&c.Cooldown, "attack-cooldown", c.Cooldown, "attack: wait after a row before reading the server's after figures")
	fs.Func("attack-server-flag", "attack: a flag for the child server, e.g. -attack-server-flag=-max-rooms=64 (repeatable)", func(s string) error {
		c.ServerFlags = append(c.ServerFlags, s)
		return nil
	})
}

// ParseRows reads the -attack value: "all", or row numbers and ranges
// separated by commas ("1,3-5").
func ParseRows(s string) ([]int, error) {
	n := len(Rows())
	if strings.TrimSpace(s) == "all" {
		return allRows(), nil
	}
	var rows []int
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		lo, hi, isRange := strings.Cut(part, "-")
		a, errA := strconv.Atoi(lo)
		b, errB := a, error(nil)
		if isRange {
			b, errB = strconv.Atoi(hi)
		}
		if errA != nil || errB != nil || a < 1 || b > n || a > b {
			return nil, fmt.Errorf("%w: rows %q: want all or numbers 1..%d like 1,3-5", ErrConfig, s, n)
		}
		for r := a; r <= b; r++ {
			if !slices.Contains(rows, r) {
				rows = append(rows, r)
			}
		}
	}
	return rows, nil
}

// Validate reports every setting that is out of range, joined.
func (c Config) Validate() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: "+format, append([]any{ErrConfig}, args...)...))
	}
	if len(c.Rows) == 0 {
		bad("no rows")
	}
	for _, r := range c.Rows {
		if r < 1 || r > len(Rows()) {
			bad("row %d not in 1..%d", r, len(Rows()))
		}
	}
	if c.URL != "" {
		if err := loopback.CheckURL(c.URL); err != nil {
			errs = append(errs, fmt.Errorf("%w: %w", ErrConfig, err))
		}
		if len(c.ServerFlags) > 0 {
			bad("-attack-server-flag configures the child server; it does not apply with -url")
		}
	} else if c.Pid != 0 {
		bad("-attack-pid names an external server; it needs -url")
	}
	if c.Pid < 0 {
		bad("pid %d is negative", c.Pid)
	}
	for _, ip := range []struct{ name, v string }{{"attack-ip", c.AttackerIP}, {"attack-probe-ip", c.ProbeIP}} {
		if err := loopback.CheckHost(ip.v); err != nil {
			bad("-%s: %v", ip.name, err)
		} else if net.ParseIP(ip.v) == nil {
			bad("-%s %q is not an IP address", ip.name, ip.v)
		}
	}
	if c.Honest < 0 || c.Honest > maxHonest {
		bad("honest bots %d not in 0..%d", c.Honest, maxHonest)
	}
	if c.TickRate <= 0 {
		bad("tick rate %d must be positive", c.TickRate)
	}
	if c.Cooldown < 0 || c.Cooldown > time.Minute {
		bad("cooldown %v not in 0..1m", c.Cooldown)
	}
	return errors.Join(errs...)
}
