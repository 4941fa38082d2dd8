package transport

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const ms = time.Millisecond

func TestParseStall(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want Stall
		bad  bool
	}{
		{name: "empty is off", in: ""},
		{name: "zero is off", in: "0"},
		{name: "hold every", in: "200ms/5s", want: Stall{Hold: 200 * ms, Every: 5 * time.Second}},
		{name: "no period", in: "200ms", bad: true},
		{name: "hold not a duration", in: "x/5s", bad: true},
		{name: "every not a duration", in: "200ms/often", bad: true},
		{name: "hold as long as the period", in: "5s/5s", bad: true},
		{name: "hold longer than the period", in: "5s/200ms", bad: true},
		{name: "negative hold", in: "-1s/5s", bad: true},
		{name: "zero hold", in: "0s/5s", bad: true},
		{name: "hold past the cap", in: "11s/1m", bad: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseStall(tt.in)
			if tt.bad {
				assert.ErrorIs(t, err, ErrSim)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			again, err := ParseStall(got.String())
			require.NoError(t, err)
			assert.Equal(t, got, again, "String is what ParseStall reads")
		})
	}
}

func TestSimValidate(t *testing.T) {
	tests := []struct {
		name string
		sim  Sim
		on   bool
		bad  bool
	}{
		{name: "zero is off", sim: Sim{}},
		{name: "latency", sim: Sim{Latency: 75 * ms}, on: true},
		{name: "latency and jitter", sim: Sim{Latency: 75 * ms, Jitter: 10 * ms}, on: true},
		{name: "jitter as large as the latency", sim: Sim{Latency: 10 * ms, Jitter: 10 * ms}, on: true},
		{name: "stall alone", sim: Sim{Stall: Stall{Hold: 200 * ms, Every: 5 * time.Second}}, on: true},
		{name: "negative latency", sim: Sim{Latency: -ms}, bad: true},
		{name: "latency past the cap", sim: Sim{Latency: time.Minute}, bad: true},
		{name: "jitter above the latency", sim: Sim{Latency: 5 * ms, Jitter: 10 * ms}, bad: true},
		{name: "negative jitter", sim: Sim{Latency: 5 * ms, Jitter: -ms}, bad: true},
		{name: "stall without a period", sim: Sim{Stall: Stall{Hold: 200 * ms}}, bad: true},
		{name: "stall period without a hold", sim: Sim{Stall: Stall{Every: time.Second}}, bad: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.sim.Validate()
			if tt.bad {
				assert.ErrorIs(t, err, ErrSim)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.on, tt.sim.On())
		})
	}
}

// fixedRand returns rs in turn: the jitter each message draws.
func fixedRand(rs ...float64) func() float64 {
	return func() float64 {
		r := rs[0]
		rs = rs[1:]
		return r
	}
}

func TestScheduleRelease(t *testing.T) {
	type msg struct {
		sent time.Duration // after the origin
		rand float64       // its jitter draw: 0 is -Jitter, 0.5 none, 1 +Jitter
	}
	tests := []struct {
		name string
		sim  Sim
		msgs []msg
		want []time.Duration // releases after the origin
	}{
		{
			name: "latency only",
			sim:  Sim{Latency: 50 * ms},
			msgs: []msg{{sent: 0}, {sent: 10 * ms}, {sent: 10 * ms}},
			want: []time.Duration{50 * ms, 60 * ms, 60 * ms},
		},
		{
			name: "jitter spreads around the latency",
			sim:  Sim{Latency: 50 * ms, Jitter: 10 * ms},
			msgs: []msg{{sent: 0, rand: 0}, {sent: 100 * ms, rand: 0.5}, {sent: 200 * ms, rand: 0.75}},
			want: []time.Duration{40 * ms, 150 * ms, 255 * ms},
		},
		{
			name: "jitter never reorders: a message drawn short waits for the one ahead",
			sim:  Sim{Latency: 50 * ms, Jitter: 10 * ms},
			msgs: []msg{{sent: 0, rand: 1}, {sent: 5 * ms, rand: 0}, {sent: 30 * ms, rand: 0}},
			want: []time.Duration{60 * ms, 60 * ms, 70 * ms},
		},
		{
			name: "a stall holds what falls in it until its end",
			sim:  Sim{Stall: Stall{Hold: 200 * ms, Every: time.Second}},
			msgs: []msg{{sent: 100 * ms}, {sent: 800 * ms}, {sent: 850 * ms}, {sent: 999 * ms}, {sent: time.Second}, {sent: 1500 * ms}},
			want: []time.Duration{100 * ms, time.Second, time.Second, time.Second, time.Second, 1500 * ms},
		},
		{
			name: "the stall is on the release, after the latency",
			sim:  Sim{Latency: 100 * ms, Stall: Stall{Hold: 200 * ms, Every: time.Second}},
			msgs: []msg{{sent: 650 * ms}, {sent: 700 * ms}, {sent: 1850 * ms}, {sent: 1950 * ms}},
			want: []time.Duration{750 * ms, time.Second, 2 * time.Second, 2050 * ms},
		},
		{
			name: "stalls repeat every period",
			sim:  Sim{Stall: Stall{Hold: 200 * ms, Every: time.Second}},
			msgs: []msg{{sent: 4900 * ms}, {sent: 5100 * ms}},
			want: []time.Duration{5 * time.Second, 5100 * ms},
		},
	}
	origin := time.Unix(1000, 0)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var rs []float64
			for _, m := range tt.msgs {
				rs = append(rs, m.rand)
			}
			s := schedule{sim: tt.sim, origin: origin, rand: fixedRand(rs...)}
			var got []time.Duration
			for _, m := range tt.msgs {
				got = append(got, s.release(origin.Add(m.sent)).Sub(origin))
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

// fakeClock is a clock the test moves: each wait a line starts is handed to
// the test, which sets the time and fires it.
type fakeClock struct {
	mu    sync.Mutex
	now   time.Time
	waits chan fakeWait
}

type fakeWait struct {
	d    time.Duration
	fire chan time.Time
}

func newFakeClock(now time.Time) *fakeClock {
	return &fakeClock{now: now, waits: make(chan fakeWait)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	w := fakeWait{d: d, fire: make(chan time.Time, 1)}
	c.waits <- w
	return w.fire
}

// advance takes the line's next wait, checks it is for want, and lets it
// pass.
func (c *fakeClock) advance(t *testing.T, want time.Duration) {
	t.Helper()
	select {
	case w := <-c.waits:
		require.Equal(t, want, w.d, "the line waits until the next release")
		c.mu.Lock()
		c.now = c.now.Add(w.d)
		now := c.now
		c.mu.Unlock()
		w.fire <- now
	case <-time.After(5 * time.Second):
		require.FailNow(t, "the line never waited")
	}
}

type delivered struct {
	msg string
	at  time.Time
}

// testLine is a line of 50 ms with a fake clock, delivering to the channel
// it returns.
func testLine(t *testing.T, maxHeld int) (*line, *fakeClock, chan delivered, time.Time) {
	origin := time.Unix(1000, 0)
	clk := newFakeClock(origin)
	got := make(chan delivered, 16)
	l := newLine(schedule{sim: Sim{Latency: 50 * ms}, origin: origin}, clk, maxHeld,
		func(msg []byte, at time.Time) { got <- delivered{string(msg), at} })
	t.Cleanup(l.stop)
	return l, clk, got, origin
}

func nextDelivered(t *testing.T, got chan delivered) delivered {
	t.Helper()
	select {
	case d := <-got:
		return d
	case <-time.After(5 * time.Second):
		require.FailNow(t, "nothing delivered")
		return delivered{}
	}
}

func TestLineDeliversInOrderAtReleaseTimes(t *testing.T) {
	l, clk, got, origin := testLine(t, 8)
	require.NoError(t, l.push([]byte("a"), origin))
	require.NoError(t, l.push([]byte("b"), origin.Add(20*ms)))
	ended := make(chan time.Time, 1)
	require.NoError(t, l.end(func() { ended <- clk.Now() }, origin.Add(30*ms)))
	assert.ErrorIs(t, l.push([]byte("late"), origin.Add(40*ms)), ErrClosed, "nothing is taken after the end")

	clk.advance(t, 50*ms)
	assert.Equal(t, delivered{"a", origin.Add(50 * ms)}, nextDelivered(t, got), "stamped with its release time")
	clk.advance(t, 20*ms)
	assert.Equal(t, delivered{"b", origin.Add(70 * ms)}, nextDelivered(t, got))
	clk.advance(t, 10*ms)
	select {
	case at := <-ended:
		assert.Equal(t, origin.Add(80*ms), at, "the end comes after what was before it")
	case <-time.After(5 * time.Second):
		require.FailNow(t, "end never ran")
	}
	assert.Empty(t, got)
}

func TestLineHandsOutWhatIsAlreadyDueWithoutWaiting(t *testing.T) {
	l, clk, got, origin := testLine(t, 8)
	clk.mu.Lock()
	clk.now = origin.Add(time.Second) // the line's goroutine fell behind
	clk.mu.Unlock()
	for i := range 3 {
		require.NoError(t, l.push(fmt.Appendf(nil, "%d", i), origin))
	}
	for i := range 3 {
		assert.Equal(t, delivered{fmt.Sprint(i), origin.Add(50 * ms)}, nextDelivered(t, got))
	}
	select {
	case w := <-clk.waits:
		assert.Failf(t, "waited for a due message", "%v", w.d)
	default:
	}
}

func TestLineBoundedAndStoppable(t *testing.T) {
	l, clk, got, origin := testLine(t, 2)
	require.NoError(t, l.push([]byte("a"), origin))
	require.NoError(t, l.push([]byte("b"), origin))
	assert.ErrorIs(t, l.push([]byte("c"), origin), ErrBackpressure)
	select {
	case <-clk.waits: // the line waits for "a"; stop ends the wait
	case <-time.After(5 * time.Second):
		require.FailNow(t, "the line never waited")
	}
	l.stop()
	l.stop() // idempotent
	assert.ErrorIs(t, l.push([]byte("d"), origin), ErrClosed)
	assert.ErrorIs(t, l.end(func() {}, origin), ErrClosed)
	assert.Empty(t, got, "stop drops what is held")
}
