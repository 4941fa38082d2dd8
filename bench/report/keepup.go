package report

import (
	"fmt"
	"math"
)

// Keep-up criteria, as named in a Miss and in a capacity search's JSON.
const (
	CriterionSnapshotInterval = "snapshot_interval_p99"
	CriterionServerTick       = "server_tick_p99"
	CriterionErrors           = "errors"
	CriterionNoSnapshots      = "no_snapshots"
	CriterionTickUnknown      = "server_tick_unknown"
	CriterionOverran          = "deadline_overrun"
)

// Miss is one keep-up criterion a run failed: what was measured against
// what was allowed. Criteria that measured nothing (no snapshots, no
// /metrics, an overrun) have a zero value and limit.
type Miss struct {
	Criterion string  `json:"criterion"`
	Value     float64 `json:"value"`
	Limit     float64 `json:"limit"`
}

// String says what failed the way the text report has always put it.
func (m Miss) String() string {
	switch m.Criterion {
	case CriterionSnapshotInterval:
		return fmt.Sprintf("snapshot interval p99 %.1f ms > limit %.1f ms", m.Value, m.Limit)
	case CriterionServerTick:
		return fmt.Sprintf("server tick p99 %.2f ms > limit %.2f ms", m.Value, m.Limit)
	case CriterionErrors:
		return fmt.Sprintf("%.0f errors", m.Value)
	case CriterionNoSnapshots:
		return "no snapshots in the window"
	case CriterionTickUnknown:
		return "server tick time unknown (no /metrics)"
	case CriterionOverran:
		return "the run overran its deadline"
	}
	return m.Criterion
}

// timed reports whether m is one of the criteria measured against a limit
// that grows smoothly with load, so that its crossing can be placed between
// two steps.
func (m Miss) timed() bool {
	return m.Criterion == CriterionSnapshotInterval || m.Criterion == CriterionServerTick
}

// FirstMiss names the criterion that failed first at step failed, given the
// step before it (nil if failed is the first). Several criteria often fail
// at the same step, but one of them crossed its limit at a lower load: for
// the snapshot interval and the server tick that crossing is placed by
// linear interpolation from the previous step, and the lower one wins (with
// no previous step, the one furthest over its limit). Errors come after
// those because an overloaded server's slow-client kicks are a consequence
// of the overload, not its cause; then whatever measured nothing. The
// second result is false when failed failed nothing.
func FirstMiss(prev *Step, failed Step) (Miss, bool) {
	var best Miss
	bestAt, found := math.Inf(1), false
	for _, m := range failed.Misses {
		if !m.timed() {
			continue
		}
		if at := crossing(prev, failed, m); !found || at < bestAt {
			best, bestAt, found = m, at, true
		}
	}
	if found {
		return best, true
	}
	for _, c := range []string{CriterionErrors, CriterionNoSnapshots, CriterionTickUnknown, CriterionOverran} {
		for _, m := range failed.Misses {
			if m.Criterion == c {
				return m, true
			}
		}
	}
	if len(failed.Misses) > 0 {
		return failed.Misses[0], true
	}
	return Miss{}, false
}

// crossing estimates the bot count at which m's value reached its limit.
// Without a previous step to interpolate from, it ranks by how far over the
// limit the value is, scaled so that further over means lower.
func crossing(prev *Step, failed Step, m Miss) float64 {
	if m.Limit <= 0 {
		return math.Inf(-1)
	}
	if prev != nil {
		was := prev.SnapshotP99
		if m.Criterion == CriterionServerTick {
			was = prev.ServerTickP99
		}
		if was < m.Limit && m.Value > was {
			frac := (m.Limit - was) / (m.Value - was)
			return float64(prev.Bots) + frac*float64(failed.Bots-prev.Bots)
		}
		if was >= m.Limit {
			return float64(prev.Bots) // it was already at its limit before this step
		}
	}
	return float64(failed.Bots) * m.Limit / m.Value
}
