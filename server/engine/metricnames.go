package engine

// Names of the series /metrics exports. They are exported so that whoever
// reads the page (the bench's scraper and its attack probe) takes them from
// here rather than writing them again; renaming one is a change of the
// server's interface to dashboards.
const (
	MetricTickDuration     = "skirmish_tick_duration_seconds"
	MetricTickOverruns     = "skirmish_tick_overruns_total"
	MetricRooms            = "skirmish_rooms"
	MetricPlayers          = "skirmish_players"
	MetricConnsOpened      = "skirmish_connections_opened_total"
	MetricConnsClosed      = "skirmish_connections_closed_total" // label MetricLabelCode
	MetricBytesIn          = "skirmish_bytes_in_total"
	MetricBytesOut         = "skirmish_bytes_out_total"
	MetricMessagesIn       = "skirmish_messages_in_total"
	MetricMessagesOut      = "skirmish_messages_out_total"
	MetricInputsDropped    = "skirmish_inputs_dropped_total"
	MetricInputDelay       = "skirmish_input_delay_ticks"
	MetricInputCatchUps    = "skirmish_input_catchup_ticks_total"
	MetricSnapshotsSkipped = "skirmish_snapshots_skipped_total"
	MetricSlowClientKicks  = "skirmish_slow_client_kicks_total"
	MetricDecodeErrors     = "skirmish_decode_errors_total" // label MetricLabelReason
	MetricFramesDropped    = "skirmish_frames_dropped_total"
	MetricRoomPanics       = "skirmish_room_panics_total"
	MetricLimitHits        = "skirmish_limit_hits_total" // label MetricLabelLimit
	MetricLateFrameDrops   = "skirmish_late_frame_drops_total"
)

// Label names of the labelled series above.
const (
	MetricLabelCode   = "code"   // a close code, or "other"
	MetricLabelReason = "reason" // why a client frame was rejected
	MetricLabelLimit  = "limit"  // which limit refused something
)

// Series of Prometheus' Go and process collectors, which the server
// registers too: the bench's soak reads them to see leaks.
const (
	MetricGoroutines     = "go_goroutines"
	MetricHeapInuse      = "go_memstats_heap_inuse_bytes"
	MetricOpenFDs        = "process_open_fds"
	MetricResidentMemory = "process_resident_memory_bytes"
)
