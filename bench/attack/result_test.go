package attack

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFormatCounts(t *testing.T) {
	tests := []struct {
		name string
		in   map[string]int
		want string
	}{
		{name: "empty", in: nil, want: "none"},
		{name: "most first, then by name", in: map[string]int{"reset": 2, "close 1009": 48, "eof": 2}, want: "close 1009 48, eof 2, reset 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, formatCounts(tt.in))
		})
	}
}

func TestClosesBetween(t *testing.T) {
	a := page{ok: true, closes: map[string]int{"1000": 5, "4008": 1}}
	b := page{ok: true, closes: map[string]int{"1000": 5, "4008": 3, "4123": 1}}
	assert.Equal(t, map[string]int{"4008": 2, "4123": 1}, closesBetween(a, b))
}

func TestWriteTableAndDetail(t *testing.T) {
	ok := Result{
		Row: 9, Name: "oversize-frame", What: "w", Took: 2 * time.Second, HaveUsage: true,
		Before: usage{RSS: 20 << 20, FDs: 16}, Peak: usage{RSS: 30 << 20, FDs: 40}, After: usage{RSS: 21 << 20, FDs: 17},
		Answer:  "50 tries: close 1009 50",
		Honest:  HonestEffect{Bots: 50, SnapshotP99: 35 * time.Millisecond, InputP99: 41500 * time.Microsecond},
		Metrics: [2]page{{ok: true, closes: map[string]int{}}, {ok: true, closes: map[string]int{"1009": 50}}},
	}
	failed := Result{Row: 3, Name: "room-squat", Err: errors.New("attack: server child did not start")}
	var buf bytes.Buffer
	require.NoError(t, WriteTable(&buf, []Result{ok, failed}))
	out := buf.String()
	assert.Contains(t, out, "20.0 / 30.0 / 21.0")
	assert.Contains(t, out, "16 / 40 / 17")
	assert.Contains(t, out, "35.0")
	assert.Contains(t, out, "41.5")
	assert.Contains(t, out, "1009 50")
	assert.Contains(t, out, "not run: attack: server child did not start")

	buf.Reset()
	require.NoError(t, ok.WriteDetail(&buf))
	assert.Contains(t, buf.String(), "server answered: 50 tries: close 1009 50")
	assert.Contains(t, buf.String(), "took 2.0s")
}

func TestScrapeParsesCounters(t *testing.T) {
	text := "# HELP x\n" +
		"skirmish_connections_closed_total{code=\"1000\"} 3\n" +
		"skirmish_connections_closed_total{code=\"4008\"} 2\n" +
		"skirmish_connections_opened_total 9\n" +
		"skirmish_rooms 4\n"
	p := parsePage(bytes.NewBufferString(text))
	assert.True(t, p.ok)
	assert.Equal(t, 4, p.series)
	assert.Equal(t, len(text), p.bytes)
	assert.Equal(t, map[string]int{"1000": 3, "4008": 2}, p.closes)
	assert.Equal(t, 9, p.opened)
	assert.Equal(t, 4, p.rooms)
}
