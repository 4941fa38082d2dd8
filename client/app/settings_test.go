package app

import (
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDecodeSettings(t *testing.T) {
	for _, tc := range []struct {
		name string
		data string
		want Settings
		err  bool
	}{
		{"all fields", `{"volume":0.4,"show_stats":false,"name":"Bob"}`, Settings{Volume: 0.4, Name: "Bob"}, false},
		{"missing fields keep defaults", `{"name":"Bob"}`, Settings{Volume: DefaultSettings().Volume, Name: "Bob"}, false},
		{"out of range is clamped", `{"volume":7}`, Settings{Volume: 1}, false},
		{"a long name is cut to the protocol's limit", `{"name":"` + strings.Repeat("x", 40) + `"}`, Settings{Volume: DefaultSettings().Volume, Name: strings.Repeat("x", 16)}, false},
		{"garbage is the defaults and an error", `{volume`, DefaultSettings(), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := decodeSettings([]byte(tc.data))
			if tc.err {
				require.Error(t, err)
			} else {
				require.NoError(t, err)
			}
			assert.Equal(t, tc.want, got)
		})
	}
	s := Settings{Volume: math.NaN()}
	s.clean()
	assert.Equal(t, DefaultSettings().Volume, s.Volume)
}
