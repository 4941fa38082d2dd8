// Package metrics scrapes the Skirmish server's Prometheus /metrics page and
// turns two scrapes into figures for the window between them: quantiles of the
// tick-duration histogram from its bucket deltas, and counter increases.
//
// It reads the text exposition format with prometheus/common/expfmt; it does
// not register or export anything.
package metrics
