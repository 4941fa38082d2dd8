// Package attack replays, against a running Skirmish server, the attacks a
// hostile but valid WebSocket client can make (issue 7), one bounded row at
// a time, and prints figures that compare across server versions: the
// server's RSS and open files before, at the peak of and after each row,
// what the server answered (close codes, HTTP statuses, counts), and the
// snapshot-interval and input-latency p99 of honest bots playing meanwhile.
//
// It is a measuring tool, not a load generator for the open internet: every
// target must be a loopback address, and each row stops by itself within
// its count and time bounds. It does not judge the server; it reports.
package attack
