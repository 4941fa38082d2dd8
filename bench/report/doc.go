// Package report is the load test's result: the Report a run produces, its
// JSON form (the keys the README's Capacity section and CI read), a text
// table, and plots of the per-second series (PNG, SVG or HTML).
//
// It formats figures; it does not measure them.
package report
