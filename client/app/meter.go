package app

import "time"

// Named defaults for newRateMeter.
const (
	defaultMeterWindow = time.Second
	meterSamples       = 256 // a second of samples at up to 240 Hz
)

type meterSample struct {
	at    time.Time
	total uint64
}

// rateMeter measures the rate of a growing counter (bytes sent, say) over the
// last Window of observations. Not safe for concurrent use.
type rateMeter struct {
	window  time.Duration
	samples []meterSample // ring
	head, n int
}

// newRateMeter returns a rateMeter over the given window
// (defaultMeterWindow if <= 0).
func newRateMeter(window time.Duration) *rateMeter {
	if window <= 0 {
		window = defaultMeterWindow
	}
	return &rateMeter{window: window, samples: make([]meterSample, meterSamples)}
}

// Observe records the counter's total at time now. Times must not go back; a
// total below the previous one (a reset counter) starts the measurement over.
func (m *rateMeter) Observe(now time.Time, total uint64) {
	if m.n > 0 {
		last := m.at(m.n - 1)
		if total < last.total || now.Before(last.at) {
			m.head, m.n = 0, 0
		}
	}
	if m.n == len(m.samples) {
		m.drop()
	}
	m.samples[(m.head+m.n)%len(m.samples)] = meterSample{at: now, total: total}
	m.n++
	// Keep one sample at or before the window's start, so the rate covers
	// the whole window.
	for m.n > 2 && !m.at(1).at.After(now.Add(-m.window)) {
		m.drop()
	}
}

// PerSecond is the counter's growth per second over the window; 0 until two
// observations apart in time.
func (m *rateMeter) PerSecond() float64 {
	if m.n < 2 {
		return 0
	}
	first, last := m.at(0), m.at(m.n-1)
	dt := last.at.Sub(first.at).Seconds()
	if dt <= 0 {
		return 0
	}
	return float64(last.total-first.total) / dt
}

// Kbps is PerSecond for a counter of bytes, in kilobits (1000 bits) per
// second.
func (m *rateMeter) Kbps() float64 { return m.PerSecond() * 8 / 1000 }

func (m *rateMeter) at(i int) meterSample { return m.samples[(m.head+i)%len(m.samples)] }

func (m *rateMeter) drop() {
	m.head = (m.head + 1) % len(m.samples)
	m.n--
}
