package report

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFirstMiss(t *testing.T) {
	snap := func(v float64) Miss { return Miss{Criterion: CriterionSnapshotInterval, Value: v, Limit: 50} }
	tick := func(v float64) Miss { return Miss{Criterion: CriterionServerTick, Value: v, Limit: 16.667} }
	errs := Miss{Criterion: CriterionErrors, Value: 3}
	tests := []struct {
		name   string
		prev   *Step
		failed Step
		want   string
		ok     bool
	}{
		{name: "kept up", failed: Step{Bots: 100, KeptUp: true}},
		{name: "only snapshot", failed: Step{Bots: 500, Misses: []Miss{snap(60)}}, want: CriterionSnapshotInterval, ok: true},
		{name: "only tick", failed: Step{Bots: 500, Misses: []Miss{tick(20)}}, want: CriterionServerTick, ok: true},
		{name: "only errors", failed: Step{Bots: 500, Misses: []Miss{errs}}, want: CriterionErrors, ok: true},
		{
			// Both over at 500; from 300 the tick (10 -> 20 ms, limit 16.7)
			// crossed near 433, the snapshot (34 -> 100 ms, limit 50) near 348.
			name: "snapshot crossed at fewer bots", prev: &Step{Bots: 300, SnapshotP99: 34, ServerTickP99: 10},
			failed: Step{Bots: 500, Misses: []Miss{snap(100), tick(20)}}, want: CriterionSnapshotInterval, ok: true,
		},
		{
			// The snapshot is further over its limit at 500 but the tick was
			// nearly at its own already at 300.
			name: "tick crossed at fewer bots", prev: &Step{Bots: 300, SnapshotP99: 34, ServerTickP99: 16},
			failed: Step{Bots: 500, Misses: []Miss{snap(100), tick(20)}}, want: CriterionServerTick, ok: true,
		},
		{
			name:   "no previous step: furthest over its limit",
			failed: Step{Bots: 100, Misses: []Miss{snap(55), tick(33)}}, want: CriterionServerTick, ok: true,
		},
		{
			name: "timing before errors", prev: &Step{Bots: 300, SnapshotP99: 34, ServerTickP99: 10},
			failed: Step{Bots: 500, Misses: []Miss{snap(60), errs}}, want: CriterionSnapshotInterval, ok: true,
		},
		{
			name:   "errors before what measured nothing",
			failed: Step{Bots: 500, Misses: []Miss{{Criterion: CriterionTickUnknown}, errs}}, want: CriterionErrors, ok: true,
		},
		{
			name:   "only unmeasured",
			failed: Step{Bots: 500, Misses: []Miss{{Criterion: CriterionNoSnapshots}, {Criterion: CriterionOverran}}}, want: CriterionNoSnapshots, ok: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, ok := FirstMiss(tt.prev, tt.failed)
			assert.Equal(t, tt.ok, ok)
			assert.Equal(t, tt.want, m.Criterion)
		})
	}
}

func TestCapacityAddStep(t *testing.T) {
	c := &Capacity{}
	assert.True(t, c.AddStep(Step{Bots: 100, KeptUp: true, ServerTickP99: 4, SnapshotP99: 34, SnapshotLimitMs: 50, TickLimitMs: 16.667}))
	assert.True(t, c.AddStep(Step{Bots: 300, KeptUp: true, ServerTickP99: 9, SnapshotP99: 36, SnapshotLimitMs: 50, TickLimitMs: 16.667}))
	assert.False(t, c.AddStep(Step{Bots: 500, ServerTickP99: 18, SnapshotP99: 120, SnapshotLimitMs: 50, TickLimitMs: 16.667, Misses: []Miss{
		{Criterion: CriterionSnapshotInterval, Value: 120, Limit: 50}, {Criterion: CriterionServerTick, Value: 18, Limit: 16.667}}}))
	assert.Equal(t, 300, c.CapacityBots)
	assert.Equal(t, 500, c.FailedAt)
	assert.Equal(t, CriterionSnapshotInterval, c.FailedCriterion)
	assert.InDelta(t, 120, c.FailedValue, 1e-9)
	assert.InDelta(t, 50, c.FailedLimit, 1e-9)

	var sb strings.Builder
	c.Report = sampleReport()
	require.NoError(t, c.WriteTable(&sb))
	assert.Contains(t, sb.String(), "capacity: 300 bots kept up (largest step that held); first failed at 500 bots: snapshot interval p99 120.0 ms > limit 50.0 ms")
	assert.Contains(t, sb.String(), "keep-up limits: snapshot interval p99 50.0 ms, server tick p99 16.67 ms")
}

func TestCapacityVerdict(t *testing.T) {
	tests := []struct {
		name string
		c    Capacity
		want string
	}{
		{name: "none failed", c: Capacity{CapacityBots: 300, Steps: make([]Step, 3)}, want: "capacity: 300 bots kept up (largest step that held); no step of 3 failed"},
		{name: "none kept up", c: Capacity{FailedAt: 100, FailedCriterion: CriterionErrors, FailedValue: 2, Steps: make([]Step, 1)},
			want: "capacity: no step kept up; first failed at 100 bots: 2 errors"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.c.Verdict())
		})
	}
}

func TestCapacityPanels(t *testing.T) {
	steps := []Step{
		{Bots: 100, ServerCPUPct: 10, ServerTickP99: 2, InputLatencyP99: 30, SnapshotP99: 34, SnapshotLimitMs: 50, TickLimitMs: 16.667},
		{Bots: 300, ServerCPUPct: 35, ServerTickP99: 7, InputLatencyP99: 45, SnapshotP99: 40, SnapshotLimitMs: 50, TickLimitMs: 16.667},
	}
	byName := map[string]line{}
	for _, pn := range capacityPanels(steps) {
		assert.Equal(t, "players (bots)", pn.xLabel, pn.title)
		for _, l := range pn.lines {
			byName[l.name] = l
		}
	}
	tests := []struct {
		name  string
		ys    []float64
		limit bool
	}{
		{name: "server CPU %", ys: []float64{10, 35}},
		{name: "server tick p99", ys: []float64{2, 7}},
		{name: "input latency p99", ys: []float64{30, 45}},
		{name: "keep-up limit (a tick)", ys: []float64{16.667, 16.667}, limit: true},
		{name: "keep-up limit (1.5 snapshot intervals)", ys: []float64{50, 50}, limit: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, ok := byName[tt.name]
			require.True(t, ok, "series %q drawn", tt.name)
			assert.Equal(t, []float64{100, 300}, l.xs, "one point per step, against the player count")
			assert.Equal(t, tt.ys, l.ys)
			assert.Equal(t, tt.limit, l.limit)
		})
	}
}

func TestCapacityPanelsOneStep(t *testing.T) {
	for _, pn := range capacityPanels([]Step{{Bots: 100, SnapshotLimitMs: 50, TickLimitMs: 16.667}}) {
		for _, l := range pn.lines {
			if l.limit {
				assert.Len(t, l.xs, 2, "%s spans the lone step so that it is drawn", l.name)
				assert.Len(t, l.ys, 2, l.name)
			}
		}
	}
}
