// Package loadtest is the bench's engine: it starts (or targets) a server,
// ramps a swarm of bots into rooms, samples bots, server metrics and process
// usage once a second, measures a steady window after the ramp and turns it
// into a report.Report; a capacity search repeats short runs with more bots
// until the keep-up criteria fail. A distributed run (distributed.go)
// spreads the bots over worker processes through package dist and merges
// their samples, histogram by histogram, into the report one process would
// have made.
//
// Package main in bench/ only parses flags into a Config and calls Execute.
package loadtest
