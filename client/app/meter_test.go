package app

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestMeterKbps(t *testing.T) {
	t0 := time.Unix(1000, 0)
	for _, tc := range []struct {
		name    string
		perTick uint64 // bytes per 1/30 s observation
		ticks   int
		want    float64 // kbit/s
	}{
		{"no observations", 0, 0, 0},
		{"one observation", 100, 1, 0},
		{"idle", 0, 60, 0},
		{"snapshots of 250 bytes at 30 Hz", 250, 60, 250 * 30 * 8 / 1000.0},
		{"inputs of 20 bytes at 30 Hz", 20, 90, 20 * 30 * 8 / 1000.0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := newRateMeter(time.Second)
			var total uint64
			for i := 0; i < tc.ticks; i++ {
				m.Observe(t0.Add(time.Duration(i)*time.Second/30), total)
				total += tc.perTick
			}
			assert.InDelta(t, tc.want, m.Kbps(), 1e-9)
		})
	}
}

func TestMeterWindowForgetsOldTraffic(t *testing.T) {
	t0 := time.Unix(1000, 0)
	m := newRateMeter(time.Second)
	var total uint64
	step := 100 * time.Millisecond
	// A burst of 10 kB/s for a second, then silence.
	for i := 0; i <= 10; i++ {
		m.Observe(t0.Add(time.Duration(i)*step), total)
		total += 1000
	}
	total -= 1000
	assert.InDelta(t, 80, m.Kbps(), 1e-9)
	for i := 11; i <= 25; i++ {
		m.Observe(t0.Add(time.Duration(i)*step), total)
	}
	assert.InDelta(t, 0, m.Kbps(), 1e-9, "nothing sent during the last window")
}

func TestMeterCounterReset(t *testing.T) {
	t0 := time.Unix(1000, 0)
	m := newRateMeter(time.Second)
	m.Observe(t0, 5000)
	m.Observe(t0.Add(500*time.Millisecond), 6000)
	m.Observe(t0.Add(600*time.Millisecond), 10) // a new connection's counter
	assert.Zero(t, m.Kbps())
	m.Observe(t0.Add(1100*time.Millisecond), 510)
	assert.InDelta(t, 8, m.Kbps(), 1e-9)
}

func TestMeterManySamples(t *testing.T) {
	t0 := time.Unix(1000, 0)
	m := newRateMeter(10 * time.Second) // more samples than the ring holds
	var total uint64
	for i := 0; i < 2000; i++ {
		m.Observe(t0.Add(time.Duration(i)*time.Millisecond), total)
		total += 1
	}
	assert.InDelta(t, 8, m.Kbps(), 1e-9, "1 byte per ms is 8 kbit/s")
}
