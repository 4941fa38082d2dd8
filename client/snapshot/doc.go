// Package snapshot keeps the client's copy of the server's view: a small ring
// of the states it has applied, so that each delta the server sends can be
// applied to the baseline it names, and the tick to acknowledge.
//
// It works on netcode values only; decoding the bytes, prediction and
// interpolation happen elsewhere.
package snapshot
