package backoff

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSchedule(t *testing.T) {
	want := []time.Duration{
		500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second,
		5 * time.Second, 5 * time.Second, 5 * time.Second,
	}
	for _, tc := range []struct {
		name  string
		rnd   float64
		scale float64 // of the ceiling
	}{
		{"no jitter drawn", 0, 1},
		{"full jitter drawn", 0.999999, 1 - DefaultJitter},
		{"half jitter drawn", 0.5, 1 - DefaultJitter/2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := New(DefaultConfig(), func() float64 { return tc.rnd })
			require.NoError(t, err)
			for i, ceil := range want {
				got := b.Next()
				assert.InDelta(t, float64(ceil)*tc.scale, float64(got), float64(time.Millisecond), "wait %d", i)
			}
			assert.Equal(t, len(want), b.Attempt())
		})
	}
}

func TestJitterBounds(t *testing.T) {
	b, err := New(DefaultConfig(), nil)
	require.NoError(t, err)
	for round := 0; round < 50; round++ {
		b.Reset()
		for i := 0; i < 10; i++ {
			ceil := b.Ceiling(i)
			got := b.Next()
			assert.LessOrEqual(t, got, ceil, "wait %d", i)
			assert.GreaterOrEqual(t, got, time.Duration(float64(ceil)*(1-DefaultJitter)), "wait %d", i)
			assert.LessOrEqual(t, got, DefaultMax)
		}
	}
}

func TestReset(t *testing.T) {
	b, err := New(Config{Base: time.Second, Max: 8 * time.Second}, nil)
	require.NoError(t, err)
	assert.Equal(t, time.Second, b.Next())
	assert.Equal(t, 2*time.Second, b.Next())
	b.Reset()
	assert.Equal(t, time.Second, b.Next(), "back to base after a reset")
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  Config
		ok   bool
	}{
		{"defaults", DefaultConfig(), true},
		{"no jitter", Config{Base: time.Second, Max: time.Second}, true},
		{"zero base", Config{Max: time.Second}, false},
		{"max below base", Config{Base: 2 * time.Second, Max: time.Second}, false},
		{"jitter above one", Config{Base: time.Second, Max: time.Second, Jitter: 1.5}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.cfg.Validate()
			if tc.ok {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, ErrConfig)
			}
		})
	}
}
