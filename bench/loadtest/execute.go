package loadtest

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/skirmish-game/skirmish/bench/cpuset"
	"github.com/skirmish-game/skirmish/bench/report"
)

// Execute runs what cfg asks for (one run, a capacity search or a soak),
// prints the table to out, and writes the JSON and plot files cfg names. A
// soak that did not stay flat returns ErrNotFlat once all that is done.
func Execute(ctx context.Context, cfg Config, r Runner, out io.Writer) error {
	if err := cfg.Validate(); err != nil {
		return err
	}
	// Pinned once for every run that follows (a capacity search's steps
	// too); the server child pins itself to its own set.
	if err := cpuset.PinProcess(cfg.BotsCPUs); err != nil {
		return fmt.Errorf("loadtest: bots: %w", err)
	}
	if n := targetNotice(cfg.URL); n != "" {
		fmt.Fprintln(r.notices(out), n)
	}
	if cfg.Capacity {
		c, err := r.Capacity(ctx, cfg)
		if c == nil || c.Report == nil {
			return err
		}
		return errors.Join(err, c.WriteTable(out), writeFiles(cfg, c, func(path string) error {
			return report.PlotCapacity(path, capacityTitle(c), c.Steps)
		}))
	}
	if cfg.Soak {
		s, err := r.Soak(ctx, cfg)
		if err != nil {
			return err
		}
		title := fmt.Sprintf("soak: %d bots, %s", s.Bots, s.Behavior)
		return errors.Join(s.WriteTable(out), writeFiles(cfg, s, func(path string) error {
			return report.PlotSoak(path, title, s)
		}), notFlatErr(s))
	}
	var rep *report.Report
	var err error
	if cfg.Workers > 0 {
		rep, err = r.coordinate(ctx, cfg)
	} else {
		rep, err = r.Run(ctx, cfg)
	}
	if err != nil {
		return err
	}
	title := fmt.Sprintf("%d bots, %s", rep.Bots, rep.Behavior)
	return errors.Join(rep.WriteTable(out), writeFiles(cfg, rep, func(path string) error {
		return report.PlotSeries(path, title, rep.Series)
	}))
}

func writeFiles(cfg Config, v any, plot func(path string) error) error {
	var errs []error
	if cfg.JSONPath != "" {
		errs = append(errs, report.WriteJSON(cfg.JSONPath, v))
	}
	if cfg.PlotPath != "" {
		errs = append(errs, plot(cfg.PlotPath))
	}
	return errors.Join(errs...)
}

// notices is where one-line notices go: beside the progress line, so that
// the report on out stays only the report, or out when there is none.
func (r Runner) notices(out io.Writer) io.Writer {
	if r.Progress != nil {
		return r.Progress
	}
	return out
}

func capacityTitle(c *report.Capacity) string {
	if c.FailedAt == 0 {
		return fmt.Sprintf("capacity search: %d bots kept up", c.CapacityBots)
	}
	return fmt.Sprintf("capacity search: %d bots kept up, %d failed on %s", c.CapacityBots, c.FailedAt, c.FailedCriterion)
}
