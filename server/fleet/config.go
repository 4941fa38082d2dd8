package fleet

import (
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"time"

	"github.com/skirmish-game/skirmish/server/engine"
)

// Named defaults. DefaultConfig uses them; the README documents them.
const (
	DefaultNATSListen = "127.0.0.1:6222" // the embedded node's cluster (route) port
	DefaultRegion     = ""
	// DefaultHeartbeat and DefaultPeerTimeout: a server publishes about once
	// a second, and one that missed about three is gone from every view.
	DefaultHeartbeat   = time.Second
	DefaultPeerTimeout = 3 * time.Second
	// DefaultSeatHold is how long a reserved seat waits for its hello: a
	// client connects within a second or two of its match.
	DefaultSeatHold       = 15 * time.Second
	DefaultFillTarget     = 0 // players a quick-play room is filled to before a new one opens; 0: the room capacity
	DefaultRequestTimeout = time.Second
	DefaultMatchRatePerIP = 2 // POST /match per second from one address, sustained
	DefaultMatchBurst     = 10
	DefaultDrainTimeout   = engine.DefaultDrainTimeout
)

// Bounds Validate enforces and decoders keep to.
const (
	MinTicketKeyBytes = 32 // an HS256 key as strong as its hash
	MaxRegionLen      = 32
	MaxURLLen         = 256
	maxIDLen          = 64
)

// Config is the fleet's part of a server's settings.
type Config struct {
	NATSURLs       []string      // an external NATS cluster to join; empty with NATSEmbed false: standalone
	NATSEmbed      bool          // start a NATS node inside this server
	NATSListen     string        // the embedded node's cluster listen address, host:port
	NATSRoutes     []string      // other embedded nodes' cluster addresses (nats-route://host:port or host:port)
	PublicURL      string        // ws:// or wss:// address players reach this server at; "": from the request's Host (standalone) or the listen address
	Region         string        // this server's region, for matchmaking
	TicketKeyFile  string        // the fleet's HS256 key; "": a random key per process
	RequireTicket  bool          // admit only hellos with a seat ticket
	DrainTimeout   time.Duration // how long a drain lets games go on
	Heartbeat      time.Duration // how often this server publishes itself
	PeerTimeout    time.Duration // a server silent this long is gone
	SeatHold       time.Duration // how long a reserved seat (and its ticket) is good for
	FillTarget     int           // quick play fills public rooms to this many before opening one; 0: room capacity
	RequestTimeout time.Duration // how long a seat request to another server may take
	MatchRatePerIP float64       // POST /match per second from one address
	MatchBurst     int           // ... and at once
}

// DefaultConfig is a standalone server's fleet settings.
func DefaultConfig() Config {
	return Config{
		NATSListen:     DefaultNATSListen,
		Region:         DefaultRegion,
		DrainTimeout:   DefaultDrainTimeout,
		Heartbeat:      DefaultHeartbeat,
		PeerTimeout:    DefaultPeerTimeout,
		SeatHold:       DefaultSeatHold,
		FillTarget:     DefaultFillTarget,
		RequestTimeout: DefaultRequestTimeout,
		MatchRatePerIP: DefaultMatchRatePerIP,
		MatchBurst:     DefaultMatchBurst,
	}
}

// Clustered reports whether the server joins a fleet over NATS.
func (c Config) Clustered() bool { return c.NATSEmbed || len(c.NATSURLs) > 0 }

// Validate reports every setting that is out of range, joined.
func (c Config) Validate() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: "+format, append([]any{engine.ErrInvalidConfig}, args...)...))
	}
	if c.NATSEmbed && len(c.NATSURLs) > 0 {
		bad("-nats and -nats-embed exclude each other: an embedded node joins others through -nats-routes")
	}
	if len(c.NATSRoutes) > 0 && !c.NATSEmbed {
		bad("-nats-routes needs -nats-embed")
	}
	if c.NATSEmbed && c.NATSListen == "" {
		bad("nats listen is empty")
	}
	if c.PublicURL != "" {
		if err := checkWSURL(c.PublicURL); err != nil {
			bad("public url: %v", err)
		}
	}
	if len(c.Region) > MaxRegionLen {
		bad("region %q is over %d bytes", c.Region, MaxRegionLen)
	}
	if c.DrainTimeout <= 0 || c.Heartbeat <= 0 || c.SeatHold <= 0 || c.RequestTimeout <= 0 {
		bad("drain timeout %v, heartbeat %v, seat hold %v and request timeout %v must be positive", c.DrainTimeout, c.Heartbeat, c.SeatHold, c.RequestTimeout)
	}
	if c.PeerTimeout <= c.Heartbeat {
		bad("peer timeout %v must be longer than the heartbeat %v", c.PeerTimeout, c.Heartbeat)
	}
	if c.FillTarget < 0 {
		bad("fill target %d is negative", c.FillTarget)
	}
	if !(c.MatchRatePerIP > 0) || c.MatchBurst <= 0 {
		bad("match rate per ip %v and burst %d must be positive", c.MatchRatePerIP, c.MatchBurst)
	}
	return errors.Join(errs...)
}

// checkWSURL accepts ws:// and wss:// URLs with a host.
func checkWSURL(s string) error {
	if len(s) > MaxURLLen {
		return fmt.Errorf("%d bytes, at most %d", len(s), MaxURLLen)
	}
	u, err := url.Parse(s)
	if err != nil {
		return err
	}
	if (u.Scheme != "ws" && u.Scheme != "wss") || u.Host == "" || u.User != nil {
		return fmt.Errorf("%q is not ws://host[:port]/path or wss://...", s)
	}
	return nil
}

// RegisterFlags defines the fleet's flags on fs, bound to SKIRMISH_*
// environment variables as engine.Config.RegisterFlags binds the engine's.
func (c *Config) RegisterFlags(fs *flag.FlagSet) error {
	known := engine.KnownFlags(fs)
	fs.Var((*engine.StringList)(&c.NATSURLs), "nats", "comma-separated NATS URLs of an existing cluster to join as a fleet")
	fs.BoolVar(&c.NATSEmbed, "nats-embed", c.NATSEmbed, "start an embedded NATS node inside this server (with -nats-listen, -nats-routes)")
	fs.StringVar(&c.NATSListen, "nats-listen", c.NATSListen, "the embedded NATS node's cluster listen address, host:port")
	fs.Var((*engine.StringList)(&c.NATSRoutes), "nats-routes", "comma-separated cluster addresses of other servers' embedded nodes (nats-route://host:port)")
	fs.StringVar(&c.PublicURL, "public-url", c.PublicURL, "ws:// or wss:// address players reach this server at (default: from the request's Host, or the listen address)")
	fs.StringVar(&c.Region, "region", c.Region, "this server's region, which POST /match may ask for")
	fs.StringVar(&c.TicketKeyFile, "ticket-key", c.TicketKeyFile, "file with the fleet's seat-ticket key (HS256, at least 32 bytes; default: random per process)")
	fs.BoolVar(&c.RequireTicket, "require-ticket", c.RequireTicket, "admit only players with a seat ticket from POST /match (4015)")
	fs.DurationVar(&c.DrainTimeout, "drain-timeout", c.DrainTimeout, "how long a drain (first SIGTERM, POST /admin/drain) lets games go on")
	fs.DurationVar(&c.SeatHold, "seat-hold", c.SeatHold, "how long a seat reserved by POST /match, and its ticket, are good for")
	fs.IntVar(&c.FillTarget, "fill-target", c.FillTarget, "quick play fills public rooms to this many players before it opens a new one (0: room capacity)")
	fs.Float64Var(&c.MatchRatePerIP, "match-rate-per-ip", c.MatchRatePerIP, "POST /match per second from one address, sustained (HTTP 429 past it)")
	fs.IntVar(&c.MatchBurst, "match-burst-per-ip", c.MatchBurst, "POST /match from one address at once, above -match-rate-per-ip")
	return engine.BindEnv(fs, known, os.LookupEnv)
}
