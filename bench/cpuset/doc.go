// Package cpuset parses CPU lists ("0", "0-1", "0,2") and pins a whole
// process to one, so that the bench can run its server child and its bots on
// cores of their own and measure each without the other's noise. It is not a
// scheduler: it only sets affinity, and GOMAXPROCS to match.
package cpuset
