package loadtest

import (
	"context"
	"fmt"

	"github.com/skirmish-game/skirmish/bench/report"
)

// Capacity runs steps of StepDuration with CapacityStart, then CapacityStep
// more bots each time, each against a fresh child server, until a step does
// not keep up or CapacitySteps have run. Its result names the largest bot
// count that kept up and, for the first that did not, the keep-up
// criterion that failed first. A failed run ends the search with what it found so far
// and the error.
func (r Runner) Capacity(ctx context.Context, cfg Config) (*report.Capacity, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	first := cfg.CapacityStart
	if first == 0 {
		first = cfg.CapacityStep
	}
	c := &report.Capacity{}
	for i := range cfg.CapacitySteps {
		step := cfg
		step.Capacity = false
		step.Bots = first + i*cfg.CapacityStep
		step.Duration = cfg.StepDuration
		step.Ramp = cfg.stepRamp()
		step.PlotPath, step.JSONPath = "", ""
		if i > 0 {
			step.Pprof = "" // profile the first step only; later ones overwrite nothing
		}
		r.log().Info("capacity step", "step", i+1, "bots", step.Bots)
		rep, err := r.Run(ctx, step)
		if err != nil {
			return c, fmt.Errorf("loadtest: capacity step %d (%d bots): %w", i+1, step.Bots, err)
		}
		s := report.StepOf(rep)
		if r.Progress != nil {
			fmt.Fprintf(r.Progress, "step %d: %d bots kept up: %v (input p99 %.1f ms, snapshot p99 %.1f ms, tick p99 %.2f ms, server CPU %.0f%%, bots CPU %.0f%%, errors %d)\n",
				i+1, s.Bots, s.KeptUp, s.InputLatencyP99, s.SnapshotP99, s.ServerTickP99, s.ServerCPUPct, s.BotsCPUPct, s.Errors)
		}
		// The JSON carries the largest step that kept up, or the first if none did.
		if rep.KeptUp || c.Report == nil {
			c.Report = rep
		}
		if !c.AddStep(s) {
			return c, nil
		}
	}
	return c, nil
}
