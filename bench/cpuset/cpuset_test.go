package cpuset

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		list string
		ncpu int
		want []int
		str  string
		bad  bool
	}{
		{name: "empty", list: "", ncpu: 2},
		{name: "one", list: "0", ncpu: 2, want: []int{0}, str: "0"},
		{name: "range", list: "0-1", ncpu: 2, want: []int{0, 1}, str: "0-1"},
		{name: "list", list: "0,2", ncpu: 4, want: []int{0, 2}, str: "0,2"},
		{name: "ranges and repeats, unordered", list: "5, 0-2,1,3", ncpu: 8, want: []int{0, 1, 2, 3, 5}, str: "0-3,5"},
		{name: "beyond the machine", list: "2", ncpu: 2, bad: true},
		{name: "range beyond the machine", list: "0-2", ncpu: 2, bad: true},
		{name: "backwards range", list: "1-0", ncpu: 2, bad: true},
		{name: "negative", list: "-1", ncpu: 2, bad: true},
		{name: "not a number", list: "a", ncpu: 2, bad: true},
		{name: "empty item", list: "0,", ncpu: 2, bad: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := parse(tt.list, tt.ncpu)
			if tt.bad {
				assert.ErrorIs(t, err, ErrList)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, s.CPUs())
			assert.Equal(t, len(tt.want), s.Len())
			assert.Equal(t, tt.str, s.String())
		})
	}
}

func TestSetJSONRoundTrip(t *testing.T) {
	s, err := Parse("0")
	require.NoError(t, err)
	b, err := json.Marshal(struct{ CPUs Set }{s})
	require.NoError(t, err)
	assert.JSONEq(t, `{"CPUs":"0"}`, string(b))
	var back struct{ CPUs Set }
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, s, back.CPUs)
	assert.Error(t, json.Unmarshal([]byte(`{"CPUs":"99999"}`), &back))
}

func TestPinProcessOfTheEmptySetDoesNothing(t *testing.T) {
	assert.NoError(t, PinProcess(Set{}))
}
