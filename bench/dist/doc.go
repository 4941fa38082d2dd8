// Package dist spreads one bench run over worker processes through NATS,
// possibly on other machines: a coordinator announces the run, takes the
// first workers that join, waits for each to be ready, names a common start
// time, collects the samples each worker streams once a second and, after it
// says stop, their results.
//
// It carries the run's settings, samples and results as opaque JSON: what
// they hold, and how histograms merge, is package loadtest's business. It
// does not run bots or measure anything, and it starts no NATS server.
package dist
