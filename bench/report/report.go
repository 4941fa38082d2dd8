package report

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"time"
)

// Latency is a distribution's percentiles in milliseconds.
type Latency struct {
	P50 float64 `json:"p50"`
	P95 float64 `json:"p95"`
	P99 float64 `json:"p99"`
	Max float64 `json:"max"`
}

// Spread is a distribution without p95, in milliseconds.
type Spread struct {
	P50 float64 `json:"p50"`
	P99 float64 `json:"p99"`
	Max float64 `json:"max"`
}

// Report is one run's figures over its steady window. The first block of
// keys is fixed (scripts read them); the rest are extras.
type Report struct {
	Bots               int     `json:"bots"`
	Rooms              int     `json:"rooms"`
	TickRate           int     `json:"tick_rate"`
	DurationS          float64 `json:"duration_s"` // the steady window measured
	InputLatencyMs     Latency `json:"input_latency_ms"`
	SnapshotIntervalMs Spread  `json:"snapshot_interval_ms"`
	DownBytesPerBotS   float64 `json:"down_bytes_per_bot_s"`
	UpBytesPerBotS     float64 `json:"up_bytes_per_bot_s"`
	ServerTickMs       Spread  `json:"server_tick_ms"`
	ServerCPUPct       float64 `json:"server_cpu_pct"`
	ServerRSSMB        float64 `json:"server_rss_mb"`
	BotsCPUPct         float64 `json:"bots_cpu_pct"`
	Errors             uint64  `json:"errors"`
	KeptUp             bool    `json:"kept_up"`

	// Workers is how many bench processes ran the bots, through NATS
	// (bench -workers); 0 for a run of one process.
	Workers int `json:"workers,omitempty"`

	Scenario               string            `json:"scenario"`
	Behavior               string            `json:"behavior"`
	PerRoom                int               `json:"per_room"`
	SnapshotRate           int               `json:"snapshot_rate"`
	AOI                    bool              `json:"aoi"`
	Deltas                 bool              `json:"deltas"`
	ExternalServer         bool              `json:"external_server"`
	RampS                  float64           `json:"ramp_s"`
	BotsConnected          int               `json:"bots_connected"` // at the end of the window
	ConnectMs              Latency           `json:"connect_ms"`
	RTTMs                  Latency           `json:"rtt_ms"`
	InputsPerBotS          float64           `json:"inputs_per_bot_s"`
	SnapshotsPerBotS       float64           `json:"snapshots_per_bot_s"`
	SnapshotsMissedPerBotS float64           `json:"snapshots_missed_per_bot_s"` // ticks the server sent no snapshot for
	SnapshotsReceived      uint64            `json:"snapshots_received"`         // whole run
	SnapshotsApplied       uint64            `json:"snapshots_applied"`          // whole run: applied by observers, head-checked by lean bots
	ErrorKinds             map[string]uint64 `json:"error_kinds"`
	FirstErrors            map[string]string `json:"first_errors"` // the first error of each kind
	CloseCodes             map[string]uint64 `json:"close_codes"`
	Matched                bool              `json:"matched"`            // -match: the fleet chose the rooms (Rooms and PerRoom do not apply)
	Rematches              uint64            `json:"rematches"`          // -match: bots seated again after their server drained or died
	ServerRSSBaseMB        float64           `json:"server_rss_base_mb"` // before any bot connected
	ServerRSSPerBotKB      float64           `json:"server_rss_per_bot_kb"`
	// BotsRSSMB is the bench process's own resident set at the end of the
	// window and BotsRSSPerBotKB its growth over the bots connected, as the
	// server's; 0 in a distributed run, whose bots are in other processes.
	BotsRSSMB             float64            `json:"bots_rss_mb,omitempty"`
	BotsRSSPerBotKB       float64            `json:"bots_rss_per_bot_kb,omitempty"`
	OtherCPUPct           float64            `json:"other_cpu_pct"`    // the rest of the machine, during the window
	ServerMetrics         bool               `json:"server_metrics"`   // /metrics was read
	ServerCounters        map[string]float64 `json:"server_counters"`  // increases over the window
	BotsBottleneck        bool               `json:"bots_bottleneck"`  // cores saturated and the bots used more than the server
	WindowTruncated       bool               `json:"window_truncated"` // the run hit its deadline inside the window
	NotKeptUp             []string           `json:"not_kept_up,omitempty"`
	KeepUpMisses          []Miss             `json:"keep_up_misses,omitempty"` // NotKeptUp with values and limits
	SnapshotP99LimitMs    float64            `json:"snapshot_interval_p99_limit_ms"`
	ServerTickP99LimitMs  float64            `json:"server_tick_p99_limit_ms"`
	Observers             int                `json:"observers"`               // bots that applied every delta in full
	ObserverSnapshots     uint64             `json:"observer_snapshots"`      // whole run: received by observers
	ObserverDeltasApplied uint64             `json:"observer_deltas_applied"` // whole run: applied by observers
	ServerCPUs            string             `json:"server_cpus"`             // the child's CPU list; "" = not pinned
	BotsCPUs              string             `json:"bots_cpus"`               // the bench process's CPU list; "" = not pinned
	// Floor is true when the server was the bench's bare transport server
	// (package floor), no game: a full snapshot of FloorBytes to each bot
	// every tick.
	Floor      bool `json:"floor"`
	FloorBytes int  `json:"floor_bytes,omitempty"`

	Series []Point `json:"-"`
}

// Point is one second of a run, for the progress line and the plot.
type Point struct {
	T          float64 // seconds since the bots started
	Bots       int
	MsgsPerSec float64 // messages in + out per second, all bots
	Latency    Latency // input latency over this second
	Tick       Spread  // server tick time over this second
}

// Ms converts a duration to milliseconds, rounded to a microsecond.
func Ms(d time.Duration) float64 { return Round(float64(d)/float64(time.Millisecond), 3) }

// Round rounds x to the given number of decimals.
func Round(x float64, decimals int) float64 {
	p := math.Pow(10, float64(decimals))
	return math.Round(x*p) / p
}

// WriteJSON writes v, indented, to path.
func WriteJSON(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if err := os.WriteFile(path, append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return nil
}

// RequiredKeys lists the JSON keys every report carries, nested ones as
// "parent.child": the fixed part of the format that scripts may rely on.
func RequiredKeys() []string {
	return []string{
		"bots", "rooms", "tick_rate", "duration_s",
		"input_latency_ms.p50", "input_latency_ms.p95", "input_latency_ms.p99", "input_latency_ms.max",
		"snapshot_interval_ms.p50", "snapshot_interval_ms.p99", "snapshot_interval_ms.max",
		"down_bytes_per_bot_s", "up_bytes_per_bot_s",
		"server_tick_ms.p50", "server_tick_ms.p99", "server_tick_ms.max",
		"server_cpu_pct", "server_rss_mb", "bots_cpu_pct", "errors", "kept_up",
	}
}
