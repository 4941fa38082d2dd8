// Package backoff computes how long to wait before each retry of a lost
// connection: exponential with a cap, and jittered so that many clients
// dropped by the same server restart do not come back in lockstep.
//
// It only computes durations; it never sleeps.
package backoff
