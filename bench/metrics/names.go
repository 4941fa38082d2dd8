package metrics

// Metric names the server exports (fixed by the team contract).
const (
	TickDuration     = "skirmish_tick_duration_seconds"
	TickOverruns     = "skirmish_tick_overruns_total"
	Players          = "skirmish_players"
	Rooms            = "skirmish_rooms"
	BytesOut         = "skirmish_bytes_out_total"
	BytesIn          = "skirmish_bytes_in_total"
	InputsDropped    = "skirmish_inputs_dropped_total"
	SnapshotsSkipped = "skirmish_snapshots_skipped_total"
	SlowClientKicks  = "skirmish_slow_client_kicks_total"
	DecodeErrors     = "skirmish_decode_errors_total"
)

// Runtime and process metrics of Prometheus' Go and process collectors,
// which the server registers: the soak reads them to see leaks.
const (
	Goroutines     = "go_goroutines"
	HeapInuse      = "go_memstats_heap_inuse_bytes"
	OpenFDs        = "process_open_fds"
	ResidentMemory = "process_resident_memory_bytes"
)
