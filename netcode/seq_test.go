package netcode

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSeqNewer(t *testing.T) {
	tests := []struct {
		name string
		a, b uint32
		want bool
	}{
		{name: "next", a: 2, b: 1, want: true},
		{name: "same", a: 7, b: 7, want: false},
		{name: "older", a: 1, b: 2, want: false},
		{name: "across the wrap", a: 3, b: math.MaxUint32 - 2, want: true},
		{name: "behind across the wrap", a: math.MaxUint32, b: 0, want: false},
		{name: "just under half ahead", a: 1<<31 - 1, b: 0, want: true},
		{name: "half ahead reads as behind", a: 1 << 31, b: 0, want: false},
		{name: "anything after none yet", a: 1, b: 0, want: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, SeqNewer(tt.a, tt.b))
		})
	}
}
