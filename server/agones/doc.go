// Package agones tells an Agones sidecar about this server's life, over the
// SDK's REST gateway on localhost: Ready once it serves, a health ping every
// few seconds while it runs, Shutdown once it has stopped (after a drain,
// which Agones starts with SIGTERM).
//
// It is not the Agones Go SDK (gRPC, which the module does not carry) and
// does no allocation: the fleet's POST /match places players, Agones only
// runs the pods.
package agones
