package engine

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"math"
	"net/netip"
	"net/url"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/skirmish-game/skirmish/netcode"
)

// Named defaults. DefaultConfig uses them; the README documents them.
const (
	DefaultAddr         = ":8080"
	DefaultTickRate     = 30
	DefaultSnapshotRate = 0 // 0: one snapshot per tick, whatever the tick rate
	DefaultRoomCapacity = 100
	DefaultMaxRooms     = 256
	DefaultAOI          = true
	// DefaultViewRadius covers what a client draws at its default zoom
	// (client/render.DefaultView: 760 world units across the screen's
	// shorter side, entities drawn up to 80 units past its edges): the
	// corner of that area is ~884 units away on a 16:9 screen, plus ~100 for
	// others being drawn in the past while the own ship is predicted ahead.
	// Entities per view go with its square, so this is the product's biggest
	// byte lever: 1000 sends ~27% less than 1200 in a crowded room (measured
	// with the 1,000-client room benchmark); the price is that the far
	// corners of a 21:9 screen (~1083 units) fill in as entities come near.
	DefaultViewRadius        = 1000.0
	DefaultDeltas            = true
	DefaultResumeGrace       = 10 * time.Second
	DefaultHelloTimeout      = 5 * time.Second
	DefaultMaxFrameBytes     = 4096
	DefaultInputRate         = 0  // messages per second per connection; 0 = 2 x tick rate
	DefaultInputBurst        = 0  // 0 = InputBurstWindow of InputRate: 300 at the default 60/s
	DefaultInputQueue        = 32 // about 1 s at 30 Hz: a TCP retransmit's stall, its inputs then arriving at once, fits (jitter.go)
	DefaultInputDelay        = 1  // the jitter buffer's target, in ticks: an input is applied on the first tick after it arrives
	DefaultSendQueue         = 64 << 10
	DefaultSlowClientTimeout = 5 * time.Second
	DefaultSocketSendBuffer  = 64 << 10
	// Per-address defaults let a school or office behind one NAT (30
	// players, each with a tab open: a WebSocket and, while the page
	// loads, a few HTTP connections) fill a room together, and keep one
	// address from taking what belongs to everyone: a third of a room's
	// seats, a few rooms, a few connects a second.
	DefaultMaxConnsPerIP  = 64
	DefaultConnRatePerIP  = 5  // new WebSockets per second from one address, sustained
	DefaultConnBurstPerIP = 40 // ... and at once: a whole class reconnecting after a restart
	DefaultMaxSeatsPerIP  = 32 // seats one address holds in one room, resume-grace seats included
	DefaultMaxRoomsPerIP  = 8  // rooms opened from one address that are open at once
	DefaultRoomRatePerIP  = 16 // rooms one address may open per minute
	DefaultMaxConns       = 0  // 0: from the open-file limit (RLIMIT_NOFILE less reserveFDs)
	DefaultMaxHTTPConns   = 1024
	// DefaultMaxHTTPConnsPerIP: a browser keeps up to 6 connections to a
	// host, idle ones for a minute after the page loads, so 30 players
	// behind one NAT may hold 180 at once; a half-sent request costs at
	// most MaxHeaderBytes and a goroutine.
	DefaultMaxHTTPConnsPerIP = 192
	DefaultMaxHeaderBytes    = 8 << 10
	// DefaultStaticWriteTimeout bounds one static response: the gzipped
	// client (~1.6 MB) takes ~13 s at 1 Mbit/s.
	DefaultStaticWriteTimeout = 30 * time.Second
	DefaultEmptyRoomTTL       = 30 * time.Second
	DefaultShutdownTimeout    = 5 * time.Second
	DefaultWebDir             = "build/web"
	DefaultAdminAddr          = "" // "": /metrics and /healthz on the game port
	DefaultSeed               = 0  // 0 = a random seed per room
	DefaultLogLevel           = slog.LevelInfo
	// DefaultFillBots keeps a room lively for its first visitor: with the
	// bots' habit of heading for the nearest player, five of them and one
	// person give a fight within seconds in the 4000x4000 arena and a
	// board worth reading, while a newcomer is rarely shot by more than
	// one or two at once. Six also leaves any room of the default capacity
	// almost all its seats: a bot gives its place up to every person who
	// joins.
	DefaultFillBots = 6
)

// InputBurstWindow is how long a stretch of InputRate the automatic
// InputBurst holds. The rate limit sees messages when the server reads
// them, not when the client sent them: a server stalled for a while (its
// core full, a pause of the process) reads each client's backlog at once,
// and so does a client's network that delivers what it held back after a
// TCP retransmit. A client sends about TickRate+1 messages a second, half
// the default rate, so a burst of five seconds of the rate lets its
// messages be read up to about ten seconds late before it is closed; the
// rate itself still bounds what a connection sends sustained (it can never
// get more than InputBurst + InputRate x t messages through in t), and a
// flood at ten times the rate is closed within about half a second.
const InputBurstWindow = 5 * time.Second

// Bounds Validate enforces.
const (
	MinTickRate     = 10
	MaxTickRate     = 128
	MaxRoomCapacity = 4096
	MinFrameBytes   = netcode.MaxClientFrame // every well-formed client message fits (the widest hello is 142 bytes)
	MaxFrameBytes   = 1 << 20
	MaxInputQueue   = 1024
	MinSendQueue    = 1024
	MinHeaderBytes  = 1024
	// reserveFDs are file descriptors MaxConns leaves to everything else:
	// the listeners, static files, the process's own.
	reserveFDs       = 64
	envPrefix        = "SKIRMISH_"
	flagEnvSeparator = "-"
)

// ErrInvalidConfig is wrapped by every error Validate returns.
var ErrInvalidConfig = errors.New("engine: invalid config")

// Config is everything an operator can set. Start from DefaultConfig, whose
// named defaults the README documents; fields whose default depends on
// others (InputRate, InputBurst, SnapshotRate, MaxConns, NewSim) take 0 or
// nil for "automatic", which New resolves once, in resolve.
type Config struct {
	Addr               string         // listen address, host:port
	TickRate           int            // simulation ticks per second, MinTickRate..MaxTickRate
	SnapshotRate       int            // snapshots per second; TickRate or a divisor of it (0: TickRate)
	RoomCapacity       int            // players per room, counting those in their resume grace
	MaxRooms           int            // rooms at once; past it a hello gets CloseRoomFull
	AOI                bool           // send each client only what is near its player
	ViewRadius         float64        // world units around a player that it sees when AOI is on
	Deltas             bool           // delta-encode against the acknowledged snapshot; false = always full
	ResumeGrace        time.Duration  // how long a dropped player stays in the world for its token to resume it
	HelloTimeout       time.Duration  // a connection must say hello within this
	MaxFrameBytes      int            // largest client frame; larger ones are closed with 1009
	InputRate          float64        // client messages per second per connection; 0 = 2 x TickRate
	InputBurst         int            // token-bucket burst for InputRate; 0 = InputBurstWindow x InputRate
	InputQueue         int            // inputs queued per player beyond the one applied each tick
	InputDelay         int            // the jitter buffer's target: inputs queued when a tick starts (the input delay, in ticks); 1..InputQueue
	SendQueue          int            // bytes queued per connection before snapshots are skipped
	SlowClientTimeout  time.Duration  // a connection over SendQueue this long is closed with 4008
	SocketSendBuffer   int            // kernel send buffer per WebSocket (SO_SNDBUF); 0 = OS default
	MaxConnsPerIP      int            // concurrent WebSocket connections from one IP address
	ConnRatePerIP      float64        // new WebSocket connections per second from one address (token bucket rate)
	ConnBurstPerIP     int            // ... and its burst
	MaxSeatsPerIP      int            // seats one address holds in one room, counting resume-grace seats
	MaxRoomsPerIP      int            // rooms opened from one address that are open at once
	RoomRatePerIP      int            // rooms one address may open per minute
	MaxConns           int            // TCP connections of every kind at once; 0 = from the open-file limit
	MaxHTTPConns       int            // TCP connections that are not WebSockets (requests being read, downloads, idle keep-alives)
	MaxHTTPConnsPerIP  int            // ... from one address
	MaxHeaderBytes     int            // request line and headers of one HTTP request
	StaticWriteTimeout time.Duration  // how long one response of the web client may take to write
	TrustedProxies     []netip.Prefix // peers whose X-Forwarded-For / Forwarded headers name the client's address
	AllowedOrigins     []string       // page origins besides the server's own that may open /ws ("*": any)
	TLSCert, TLSKey    string         // PEM files: serve https and wss directly
	AdminAddr          string         // when set, /metrics and /healthz listen here and not on Addr
	EmptyRoomTTL       time.Duration  // an empty room closes after this
	ShutdownTimeout    time.Duration  // how long Serve waits for HTTP requests and closing clients
	WebDir             string         // directory of the built web client served at "/"
	Seed               uint64         // world seed; each room mixes in its name; 0 = random
	FillBots           int            // players a room keeps (at most RoomCapacity) by adding computer players, who leave as people join
	LogLevel           slog.Level     // minimum level package main logs at

	// NewSim makes each room's game; nil is NewWorldSim, the arena. Another
	// game plugs in here.
	NewSim SimFactory
}

// DefaultConfig returns the configuration `go run ./server` uses.
func DefaultConfig() Config {
	return Config{
		Addr:               DefaultAddr,
		TickRate:           DefaultTickRate,
		SnapshotRate:       DefaultSnapshotRate,
		RoomCapacity:       DefaultRoomCapacity,
		MaxRooms:           DefaultMaxRooms,
		AOI:                DefaultAOI,
		ViewRadius:         DefaultViewRadius,
		Deltas:             DefaultDeltas,
		ResumeGrace:        DefaultResumeGrace,
		HelloTimeout:       DefaultHelloTimeout,
		MaxFrameBytes:      DefaultMaxFrameBytes,
		InputRate:          DefaultInputRate,
		InputBurst:         DefaultInputBurst,
		InputQueue:         DefaultInputQueue,
		InputDelay:         DefaultInputDelay,
		SendQueue:          DefaultSendQueue,
		SlowClientTimeout:  DefaultSlowClientTimeout,
		SocketSendBuffer:   DefaultSocketSendBuffer,
		MaxConnsPerIP:      DefaultMaxConnsPerIP,
		ConnRatePerIP:      DefaultConnRatePerIP,
		ConnBurstPerIP:     DefaultConnBurstPerIP,
		MaxSeatsPerIP:      DefaultMaxSeatsPerIP,
		MaxRoomsPerIP:      DefaultMaxRoomsPerIP,
		RoomRatePerIP:      DefaultRoomRatePerIP,
		MaxConns:           DefaultMaxConns,
		MaxHTTPConns:       DefaultMaxHTTPConns,
		MaxHTTPConnsPerIP:  DefaultMaxHTTPConnsPerIP,
		MaxHeaderBytes:     DefaultMaxHeaderBytes,
		StaticWriteTimeout: DefaultStaticWriteTimeout,
		AdminAddr:          DefaultAdminAddr,
		EmptyRoomTTL:       DefaultEmptyRoomTTL,
		ShutdownTimeout:    DefaultShutdownTimeout,
		WebDir:             DefaultWebDir,
		Seed:               DefaultSeed,
		FillBots:           DefaultFillBots,
		LogLevel:           DefaultLogLevel,
	}
}

// Validate reports every setting that is out of range, joined.
func (c Config) Validate() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: "+format, append([]any{ErrInvalidConfig}, args...)...))
	}
	if c.Addr == "" {
		bad("addr is empty")
	}
	if c.TickRate < MinTickRate || c.TickRate > MaxTickRate {
		bad("tick rate %d not in %d..%d", c.TickRate, MinTickRate, MaxTickRate)
	}
	if c.SnapshotRate < 0 || c.SnapshotRate > c.TickRate || (c.SnapshotRate > 0 && c.TickRate%c.SnapshotRate != 0) {
		bad("snapshot rate %d must be the tick rate %d or a divisor of it", c.SnapshotRate, c.TickRate)
	}
	if c.RoomCapacity <= 0 || c.RoomCapacity > MaxRoomCapacity {
		bad("room capacity %d not in 1..%d", c.RoomCapacity, MaxRoomCapacity)
	}
	if c.MaxRooms <= 0 {
		bad("max rooms %d must be positive", c.MaxRooms)
	}
	if !(c.ViewRadius > 0) || math.IsInf(c.ViewRadius, 0) {
		bad("view radius %v must be positive and finite", c.ViewRadius)
	}
	if c.ResumeGrace < 0 {
		bad("resume grace %v is negative", c.ResumeGrace)
	}
	if c.HelloTimeout <= 0 {
		bad("hello timeout %v must be positive", c.HelloTimeout)
	}
	if c.MaxFrameBytes < MinFrameBytes || c.MaxFrameBytes > MaxFrameBytes {
		bad("max frame bytes %d not in %d..%d", c.MaxFrameBytes, MinFrameBytes, MaxFrameBytes)
	}
	if c.InputRate < 0 || math.IsNaN(c.InputRate) || math.IsInf(c.InputRate, 0) {
		bad("input rate %v must be 0 (auto) or positive", c.InputRate)
	} else if c.InputRate > 0 && c.InputRate < float64(c.TickRate) {
		bad("input rate %v is below the tick rate %d: every client would be rate limited", c.InputRate, c.TickRate)
	}
	if c.InputBurst < 0 {
		bad("input burst %d must be 0 (auto) or positive", c.InputBurst)
	}
	if c.InputQueue <= 0 || c.InputQueue > MaxInputQueue {
		bad("input queue %d not in 1..%d", c.InputQueue, MaxInputQueue)
	}
	if c.InputDelay < 1 || c.InputDelay > c.InputQueue {
		bad("input delay %d not in 1..input queue %d", c.InputDelay, c.InputQueue)
	}
	if c.SendQueue < MinSendQueue {
		bad("send queue %d bytes is under %d", c.SendQueue, MinSendQueue)
	}
	if c.SlowClientTimeout <= 0 {
		bad("slow client timeout %v must be positive", c.SlowClientTimeout)
	}
	if c.SocketSendBuffer < 0 {
		bad("socket send buffer %d is negative", c.SocketSendBuffer)
	}
	if c.MaxConnsPerIP <= 0 {
		bad("max conns per ip %d must be positive", c.MaxConnsPerIP)
	}
	if !(c.ConnRatePerIP > 0) || math.IsInf(c.ConnRatePerIP, 0) || c.ConnBurstPerIP <= 0 {
		bad("conn rate per ip %v and burst %d must be positive", c.ConnRatePerIP, c.ConnBurstPerIP)
	}
	if c.MaxSeatsPerIP <= 0 || c.MaxRoomsPerIP <= 0 || c.RoomRatePerIP <= 0 {
		bad("max seats per ip %d, max rooms per ip %d and room rate per ip %d must be positive", c.MaxSeatsPerIP, c.MaxRoomsPerIP, c.RoomRatePerIP)
	}
	if c.MaxConns < 0 {
		bad("max conns %d must be 0 (from the file limit) or positive", c.MaxConns)
	}
	if c.MaxHTTPConns <= 0 || c.MaxHTTPConnsPerIP <= 0 {
		bad("max http conns %d and per ip %d must be positive", c.MaxHTTPConns, c.MaxHTTPConnsPerIP)
	}
	if c.MaxHeaderBytes < MinHeaderBytes {
		bad("max header bytes %d is under %d", c.MaxHeaderBytes, MinHeaderBytes)
	}
	if c.StaticWriteTimeout <= 0 {
		bad("static write timeout %v must be positive", c.StaticWriteTimeout)
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		bad("tls cert and tls key go together")
	}
	for _, o := range c.AllowedOrigins {
		if o != "*" && !validOrigin(o) {
			bad("allowed origin %q is not scheme://host[:port]", o)
		}
	}
	if c.EmptyRoomTTL < 0 {
		bad("empty room ttl %v is negative", c.EmptyRoomTTL)
	}
	if c.ShutdownTimeout <= 0 {
		bad("shutdown timeout %v must be positive", c.ShutdownTimeout)
	}
	if c.FillBots < 0 {
		bad("fill bots %d is negative", c.FillBots)
	}
	return errors.Join(errs...)
}

// RegisterFlags defines one flag per field on fs (all but NewSim). A flag's
// default is the field's current value, overridden by the environment
// variable SKIRMISH_<NAME> (the flag name upper-cased, dashes as
// underscores); a command-line flag overrides both. It returns the variables
// that do not parse, joined and wrapping ErrInvalidConfig.
func (c *Config) RegisterFlags(fs *flag.FlagSet) error { return c.registerFlags(fs, os.LookupEnv) }

func (c *Config) registerFlags(fs *flag.FlagSet, lookupEnv func(string) (string, bool)) error {
	known := KnownFlags(fs)

	fs.StringVar(&c.Addr, "addr", c.Addr, "listen address, host:port")
	fs.IntVar(&c.TickRate, "tick-rate", c.TickRate, fmt.Sprintf("simulation ticks per second (%d..%d)", MinTickRate, MaxTickRate))
	fs.IntVar(&c.SnapshotRate, "snapshot-rate", c.SnapshotRate, "snapshots per second: the tick rate or a divisor of it (0: the tick rate)")
	fs.IntVar(&c.RoomCapacity, "room-capacity", c.RoomCapacity, "players per room, counting those in their resume grace")
	fs.IntVar(&c.MaxRooms, "max-rooms", c.MaxRooms, "rooms at once")
	fs.BoolVar(&c.AOI, "aoi", c.AOI, "send each client only the entities near its player")
	fs.Float64Var(&c.ViewRadius, "view-radius", c.ViewRadius, "world units a player sees around itself when -aoi is on")
	fs.BoolVar(&c.Deltas, "deltas", c.Deltas, "delta-encode snapshots against the one the client acknowledged (false: always full)")
	fs.DurationVar(&c.ResumeGrace, "resume-grace", c.ResumeGrace, "how long a dropped player waits in the world to be resumed with its token")
	fs.DurationVar(&c.HelloTimeout, "hello-timeout", c.HelloTimeout, "time a new connection has to send its hello")
	fs.IntVar(&c.MaxFrameBytes, "max-frame-bytes", c.MaxFrameBytes, "largest client WebSocket frame, in bytes")
	fs.Float64Var(&c.InputRate, "input-rate", c.InputRate, "client messages per second per connection (0: 2 x tick rate)")
	fs.IntVar(&c.InputBurst, "input-burst", c.InputBurst, "messages a connection may send at once over -input-rate, as a backlog read late after a stall (0: 5 s of -input-rate)")
	fs.IntVar(&c.InputQueue, "input-queue", c.InputQueue, "inputs a player may have queued; older ones are dropped past it")
	fs.IntVar(&c.InputDelay, "input-delay", c.InputDelay, "ticks of input a player's queue is held near: a queue that stays deeper is cut by applying two inputs in a tick")
	fs.IntVar(&c.SendQueue, "send-queue", c.SendQueue, "bytes queued per connection before its snapshots are skipped")
	fs.DurationVar(&c.SlowClientTimeout, "slow-client-timeout", c.SlowClientTimeout, "a connection over -send-queue this long is closed (4008)")
	fs.IntVar(&c.SocketSendBuffer, "socket-send-buffer", c.SocketSendBuffer, "kernel send buffer per WebSocket in bytes, so a slow client shows up in -send-queue (0: OS default)")
	fs.IntVar(&c.MaxConnsPerIP, "max-conns-per-ip", c.MaxConnsPerIP, "concurrent WebSocket connections from one IP address")
	fs.Float64Var(&c.ConnRatePerIP, "conn-rate-per-ip", c.ConnRatePerIP, "new WebSocket connections per second from one address")
	fs.IntVar(&c.ConnBurstPerIP, "conn-burst-per-ip", c.ConnBurstPerIP, "new WebSocket connections from one address at once, over -conn-rate-per-ip")
	fs.IntVar(&c.MaxSeatsPerIP, "max-seats-per-ip", c.MaxSeatsPerIP, "seats one address holds in one room, resume-grace seats included")
	fs.IntVar(&c.MaxRoomsPerIP, "max-rooms-per-ip", c.MaxRoomsPerIP, "rooms opened from one address that are open at once")
	fs.IntVar(&c.RoomRatePerIP, "room-rate-per-ip", c.RoomRatePerIP, "rooms one address may open per minute")
	fs.IntVar(&c.MaxConns, "max-conns", c.MaxConns, "TCP connections at once, of every kind (0: the open-file limit less a reserve)")
	fs.IntVar(&c.MaxHTTPConns, "max-http-conns", c.MaxHTTPConns, "TCP connections that are not WebSockets: requests being read, downloads, idle keep-alives")
	fs.IntVar(&c.MaxHTTPConnsPerIP, "max-http-conns-per-ip", c.MaxHTTPConnsPerIP, "the same, from one address")
	fs.IntVar(&c.MaxHeaderBytes, "max-header-bytes", c.MaxHeaderBytes, "request line and headers of one HTTP request, in bytes")
	fs.DurationVar(&c.StaticWriteTimeout, "static-write-timeout", c.StaticWriteTimeout, "how long one response of the web client may take to write")
	fs.Var((*prefixList)(&c.TrustedProxies), "trusted-proxies", "comma-separated CIDRs of proxies whose X-Forwarded-For or Forwarded header is believed")
	fs.Var((*stringList)(&c.AllowedOrigins), "allowed-origins", "comma-separated page origins (scheme://host[:port]) besides the server's own that may open /ws; * for any")
	fs.StringVar(&c.TLSCert, "tls-cert", c.TLSCert, "PEM certificate file: serve https and wss (with -tls-key)")
	fs.StringVar(&c.TLSKey, "tls-key", c.TLSKey, "PEM private key file for -tls-cert")
	fs.StringVar(&c.AdminAddr, "admin-addr", c.AdminAddr, "listen address for /metrics and /healthz; when set the game port serves only /ws and the web client")
	fs.DurationVar(&c.EmptyRoomTTL, "empty-room-ttl", c.EmptyRoomTTL, "an empty room closes after this")
	fs.DurationVar(&c.ShutdownTimeout, "shutdown-timeout", c.ShutdownTimeout, "how long shutdown waits for requests and closing clients")
	fs.StringVar(&c.WebDir, "web", c.WebDir, "directory of the built web client (make web), served at /")
	fs.Uint64Var(&c.Seed, "seed", c.Seed, "world seed, mixed with each room's name (0: random)")
	fs.IntVar(&c.FillBots, "fill-bots", c.FillBots, "players every room keeps by adding computer players, who leave as people join (0: none)")
	fs.TextVar(&c.LogLevel, "log-level", c.LogLevel, "minimum log level: debug, info, warn or error")

	return BindEnv(fs, known, lookupEnv)
}

// BindEnv gives every flag of fs not in known its environment variable
// (EnvName): the variable, when set, becomes the flag's default, and the
// flag's usage names it. It returns the variables that do not parse, joined
// and wrapping ErrInvalidConfig. Other packages' flags (the fleet's) bind so
// too, the way RegisterFlags binds the engine's.
func BindEnv(fs *flag.FlagSet, known map[string]bool, lookupEnv func(string) (string, bool)) error {
	var errs []error
	fs.VisitAll(func(f *flag.Flag) {
		if known[f.Name] {
			return
		}
		name := EnvName(f.Name)
		f.Usage += " [" + name + "]"
		v, ok := lookupEnv(name)
		if !ok {
			return
		}
		if err := f.Value.Set(v); err != nil {
			errs = append(errs, fmt.Errorf("%w: %s=%q: %w", ErrInvalidConfig, name, v, err))
			return
		}
		f.DefValue = f.Value.String()
	})
	return errors.Join(errs...)
}

// KnownFlags is the set of flags fs has defined so far, for BindEnv.
func KnownFlags(fs *flag.FlagSet) map[string]bool {
	known := make(map[string]bool)
	fs.VisitAll(func(f *flag.Flag) { known[f.Name] = true })
	return known
}

// EnvName is the environment variable that sets the flag with the given name.
func EnvName(flagName string) string {
	return envPrefix + strings.ToUpper(strings.ReplaceAll(flagName, flagEnvSeparator, "_"))
}

// resolve fills the automatic values (0 or nil) of a valid Config, the one
// place that does: by default a client may send twice the tick rate, and
// InputBurstWindow of that at once, a snapshot goes out every tick, and the
// connections are what the open-file limit allows.
func (c Config) resolve() Config {
	if c.InputRate == 0 {
		c.InputRate = 2 * float64(c.TickRate)
	}
	if c.InputBurst == 0 {
		c.InputBurst = int(min(math.Ceil(c.InputRate*InputBurstWindow.Seconds()), math.MaxInt32))
	}
	if c.SnapshotRate == 0 {
		c.SnapshotRate = c.TickRate
	}
	if c.MaxConns == 0 {
		c.MaxConns = fileLimitConns()
	}
	if c.NewSim == nil {
		c.NewSim = NewWorldSim
	}
	return c
}

// ticksPerSnapshot is k: a snapshot goes out every k ticks (of a resolved
// Config).
func (c Config) ticksPerSnapshot() int { return c.TickRate / c.SnapshotRate }

// fileLimitConns is the default MaxConns: the process's open-file limit
// less reserveFDs.
func fileLimitConns() int {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil || lim.Cur > math.MaxInt32 {
		return math.MaxInt32
	}
	return max(int(lim.Cur)-reserveFDs, 1)
}

// validOrigin reports whether o is an origin as browsers send it:
// scheme://host[:port], nothing else.
func validOrigin(o string) bool {
	u, err := url.Parse(o)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" &&
		u.Path == "" && u.RawQuery == "" && u.Fragment == "" && u.User == nil
}

// prefixList is a comma-separated list of CIDRs as a flag.Value. A bare
// address counts as a /32 (or /128).
type prefixList []netip.Prefix

func (l *prefixList) String() string {
	parts := make([]string, len(*l))
	for i, p := range *l {
		parts[i] = p.String()
	}
	return strings.Join(parts, ",")
}

func (l *prefixList) Set(v string) error {
	var out []netip.Prefix
	for _, part := range strings.Split(v, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		p, err := netip.ParsePrefix(part)
		if err != nil {
			a, aerr := netip.ParseAddr(part)
			if aerr != nil {
				return fmt.Errorf("%q is not a CIDR or an address", part)
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		out = append(out, p.Masked())
	}
	*l = out
	return nil
}

// stringList is a comma-separated list as a flag.Value.
type stringList []string

// StringList is stringList for other packages' flags (the fleet's).
type StringList = stringList

func (l *stringList) String() string { return strings.Join(*l, ",") }

func (l *stringList) Set(v string) error {
	var out []string
	for _, part := range strings.Split(v, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	*l = out
	return nil
}
