package link

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBackoffSchedule(t *testing.T) {
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
		{"full jitter drawn", 0.999999, 1 - DefaultBackoffJitter},
		{"half jitter drawn", 0.5, 1 - DefaultBackoffJitter/2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := newBackoff(DefaultBackoffConfig(), func() float64 { return tc.rnd })
			require.NoError(t, err)
			for i, ceil := range want {
				got := b.next()
				assert.InDelta(t, float64(ceil)*tc.scale, float64(got), float64(time.Millisecond), "wait %d", i)
			}
			assert.Equal(t, len(want), b.attempt)
		})
	}
}

func TestBackoffJitterBounds(t *testing.T) {
	b, err := newBackoff(DefaultBackoffConfig(), nil)
	require.NoError(t, err)
	for round := 0; round < 50; round++ {
		b.reset()
		for i := 0; i < 10; i++ {
			ceil := b.ceiling(i)
			got := b.next()
			assert.LessOrEqual(t, got, ceil, "wait %d", i)
			assert.GreaterOrEqual(t, got, time.Duration(float64(ceil)*(1-DefaultBackoffJitter)), "wait %d", i)
			assert.LessOrEqual(t, got, DefaultBackoffMax)
		}
	}
}

func TestBackoffReset(t *testing.T) {
	b, err := newBackoff(BackoffConfig{Base: time.Second, Max: 8 * time.Second}, nil)
	require.NoError(t, err)
	assert.Equal(t, time.Second, b.next())
	assert.Equal(t, 2*time.Second, b.next())
	b.reset()
	assert.Equal(t, time.Second, b.next(), "back to base after a reset")
}
