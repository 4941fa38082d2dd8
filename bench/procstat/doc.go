// Package procstat reads CPU time and resident memory of a process from
// Linux's /proc, and the calling process's own CPU time from getrusage, so the
// bench can report the server's and the bots' costs apart, and counts a
// process's open file descriptors for the soak.
//
// It is Linux-only by nature; elsewhere the reads fail with an error and the
// report shows zeros.
package procstat
