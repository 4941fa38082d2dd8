// Package stats holds the bench's lock-free measurement primitives: a
// log-linear latency histogram that many goroutines record into at once and
// that is read by taking snapshots, and quantiles over those snapshots.
//
// It keeps no samples: memory is fixed however long a run lasts. It is not a
// metrics exporter.
package stats
