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
}

// StepOf summarizes a run's report as a capacity step.
func StepOf(r *Report) Step {
	return Step{
		Bots: r.Bots, KeptUp: r.KeptUp, InputLatencyP99: r.InputLatencyMs.P99, SnapshotP99: r.SnapshotIntervalMs.P99,
		ServerTickP99: r.ServerTickMs.P99, ServerCPUPct: r.ServerCPUPct, BotsCPUPct: r.BotsCPUPct,
		ServerRSSPerBotKB: r.ServerRSSPerBotKB, Errors: r.Errors,
	}
}

// Capacity is a capacity search's outcome. Its JSON is the report of the
// largest step that kept up (or of the first step, if none did) with the
// search added under capacity_* keys.
type Capacity struct {
	*Report
	CapacityBots int    `json:"capacity_bots"` // largest bot count that kept up; 0 if none
	Steps        []Step `json:"capacity_steps"`
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
	_, err := fmt.Fprintf(w, "capacity: %d bots kept up (largest step that held)\n", c.CapacityBots)
	return err
}

// PlotCapacity draws p99 latency, snapshot interval and tick time against the
// bot count of each step.
func PlotCapacity(path, title string, steps []Step) error {
	var n, lat, snap, tick, scpu, bcpu []float64
	for _, s := range steps {
		n = append(n, float64(s.Bots))
		lat, snap, tick = append(lat, s.InputLatencyP99), append(snap, s.SnapshotP99), append(tick, s.ServerTickP99)
		scpu, bcpu = append(scpu, s.ServerCPUPct), append(bcpu, s.BotsCPUPct)
	}
	return drawPanels(path, title, []panel{
		{title: "p99 by bot count", xLabel: "bots", yLabel: "ms", lines: []line{
			{"input latency p99", n, lat}, {"snapshot interval p99", n, snap}, {"server tick p99", n, tick}}},
		{title: "CPU by bot count", xLabel: "bots", yLabel: "% of one core", lines: []line{
			{"server", n, scpu}, {"bots", n, bcpu}}},
	})
}
