// Package netcodetest holds snapshot fixtures for the tests and benchmarks
// of code that receives snapshots (netcode's Receiver, the bench's bots):
// two views of n entities, and a delta message whose tick and baseline can
// be rewritten in place, so one message serves a whole steady-state run.
//
// Only tests import it; it is not part of the protocol.
package netcodetest
