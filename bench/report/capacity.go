package report

import (
	"fmt"
	"io"
	"text/tabwriter"
)

// Step is one run of a capacity search.
type Step struct {
	Bots              int     `json:"bots"`
	KeptUp            bool    `json:"kept_up"`
	InputLatencyP99   float64 `json:"input_latency_p99_ms"`
	SnapshotP99       float64 `json:"snapshot_interval_p99_ms"`
	ServerTickP99     float64 `json:"server_tick_p99_ms"`
	ServerCPUPct      float64 `json:"server_cpu_pct"`
	BotsCPUPct        float64 `json:"bots_cpu_pct"`
	ServerRSSPerBotKB float64 `json:"server_rss_per_bot_kb"`
	Errors            uint64  `json:"errors"`
	SnapshotLimitMs   float64 `json:"snapshot_interval_p99_limit_ms"`
	TickLimitMs       float64 `json:"server_tick_p99_limit_ms"`
	Misses            []Miss  `json:"misses,omitempty"` // the keep-up criteria this step failed
}

// StepOf summarizes a run's report as a capacity step.
func StepOf(r *Report) Step {
	return Step{
		Bots: r.Bots, KeptUp: r.KeptUp, InputLatencyP99: r.InputLatencyMs.P99, SnapshotP99: r.SnapshotIntervalMs.P99,
		ServerTickP99: r.ServerTickMs.P99, ServerCPUPct: r.ServerCPUPct, BotsCPUPct: r.BotsCPUPct,
		ServerRSSPerBotKB: r.ServerRSSPerBotKB, Errors: r.Errors,
		SnapshotLimitMs: r.SnapshotP99LimitMs, TickLimitMs: r.ServerTickP99LimitMs, Misses: r.KeepUpMisses,
	}
}

// Capacity is a capacity search's outcome. Its JSON is the report of the
// largest step that kept up (or of the first step, if none did) with the
// search added under capacity_* keys. The failed_* keys are zero when no
// step failed.
type Capacity struct {
	*Report
	CapacityBots    int     `json:"capacity_bots"`             // largest bot count that kept up; 0 if none
	FailedAt        int     `json:"capacity_failed_at"`        // bots of the first step that did not keep up
	FailedCriterion string  `json:"capacity_failed_criterion"` // which criterion failed first there
	FailedValue     float64 `json:"capacity_failed_value"`     // what it measured
	FailedLimit     float64 `json:"capacity_failed_limit"`     // what it allowed
	Steps           []Step  `json:"capacity_steps"`
}

// AddStep records a step's result and reports whether the search goes on:
// it stops at the first step that did not keep up, naming the criterion
// that failed first there.
func (c *Capacity) AddStep(s Step) bool {
	var prev *Step
	if n := len(c.Steps); n > 0 {
		prev = &c.Steps[n-1]
	}
	c.Steps = append(c.Steps, s)
	if s.KeptUp {
		c.CapacityBots = s.Bots
		return true
	}
	c.FailedAt = s.Bots
	if m, ok := FirstMiss(prev, s); ok {
		c.FailedCriterion, c.FailedValue, c.FailedLimit = m.Criterion, m.Value, m.Limit
	}
	return false
}

// Verdict is the search's outcome in a line.
func (c *Capacity) Verdict() string {
	held := fmt.Sprintf("capacity: %d bots kept up (largest step that held)", c.CapacityBots)
	if c.CapacityBots == 0 {
		held = "capacity: no step kept up"
	}
	if c.FailedAt == 0 {
		return fmt.Sprintf("%s; no step of %d failed", held, len(c.Steps))
	}
	miss := Miss{Criterion: c.FailedCriterion, Value: c.FailedValue, Limit: c.FailedLimit}
	return fmt.Sprintf("%s; first failed at %d bots: %s", held, c.FailedAt, miss)
}

// WriteTable prints the steps and the verdict.
func (c *Capacity) WriteTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "bots\tkept up\tlatency p99 ms\tsnapshot p99 ms\ttick p99 ms\tserver CPU %%\tbots CPU %%\tKB/bot\terrors\t\n")
	for _, s := range c.Steps {
		fmt.Fprintf(tw, "%d\t%v\t%.2f\t%.2f\t%.2f\t%.1f\t%.1f\t%.1f\t%d\t\n",
			s.Bots, s.KeptUp, s.InputLatencyP99, s.SnapshotP99, s.ServerTickP99, s.ServerCPUPct, s.BotsCPUPct, s.ServerRSSPerBotKB, s.Errors)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(c.Steps) > 0 {
		fmt.Fprintf(w, "keep-up limits: snapshot interval p99 %.1f ms, server tick p99 %.2f ms, no errors\n",
			c.Steps[0].SnapshotLimitMs, c.Steps[0].TickLimitMs)
	}
	_, err := fmt.Fprintln(w, c.Verdict())
	return err
}

// PlotCapacity draws, against the bot count of each step, the server's CPU,
// its tick p99 and the input latency p99, with the keep-up limits.
func PlotCapacity(path, title string, steps []Step) error {
	return drawPanels(path, title, capacityPanels(steps))
}

func capacityPanels(steps []Step) []panel {
	var n, scpu, bcpu, tick, tickMax, lat, snap, snapMax []float64
	for _, s := range steps {
		n = append(n, float64(s.Bots))
		scpu, bcpu = append(scpu, s.ServerCPUPct), append(bcpu, s.BotsCPUPct)
		tick, tickMax = append(tick, s.ServerTickP99), append(tickMax, s.TickLimitMs)
		lat, snap, snapMax = append(lat, s.InputLatencyP99), append(snap, s.SnapshotP99), append(snapMax, s.SnapshotLimitMs)
	}
	limX := n
	if len(n) == 1 {
		// A line of one point is not drawn: widen the limits around the
		// only step so that they still show.
		limX = []float64{n[0] / 2, n[0] * 3 / 2}
		tickMax, snapMax = append(tickMax, tickMax[0]), append(snapMax, snapMax[0])
	}
	// The bots' CPU is beside the server's because on a shared machine the
	// bots can be what runs out first.
	return []panel{
		{title: "CPU by player count", xLabel: "players (bots)", yLabel: "% of one core", points: true, lines: []line{
			{name: "server CPU %", xs: n, ys: scpu}, {name: "bots CPU %", xs: n, ys: bcpu}}},
		{title: "server tick p99 by player count", xLabel: "players (bots)", yLabel: "ms", points: true, lines: []line{
			{name: "server tick p99", xs: n, ys: tick}, {name: "keep-up limit (a tick)", xs: limX, ys: tickMax, limit: true}}},
		{title: "latency p99 by player count", xLabel: "players (bots)", yLabel: "ms", points: true, lines: []line{
			{name: "input latency p99", xs: n, ys: lat}, {name: "snapshot interval p99", xs: n, ys: snap},
			{name: "keep-up limit (1.5 snapshot intervals)", xs: limX, ys: snapMax, limit: true}}},
	}
}
