// Package enginetest runs a real engine on 127.0.0.1:0 for a test, in the
// spirit of net/http/httptest: NewServer starts it, URL says where to dial,
// and it stops when the test ends, with its log shown if the test failed.
//
// It is for tests outside package engine (the end-to-end tests, the bench's);
// the engine's own tests cannot import it and keep a harness of their own
// that reaches into the rooms.
package enginetest
