package procstat

import (
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseStat(t *testing.T) {
	tests := []struct {
		name    string
		data    string
		want    time.Duration
		wantErr bool
	}{
		{name: "plain", data: "1234 (server) S 1 2 3 4 5 6 7 8 9 10 150 50 0 0 20 0 8 0 100 200 300\n", want: 2 * time.Second},
		{name: "name with spaces and parens", data: "7 (a (b) c) R 1 2 3 4 5 6 7 8 9 10 1 2 0 0\n", want: 30 * time.Millisecond},
		{name: "no command", data: "7 a R 1 2", wantErr: true},
		{name: "too short", data: "7 (a) R 1 2 3", wantErr: true},
		{name: "not a number", data: "7 (a) R 1 2 3 4 5 6 7 8 9 10 x 2 0 0\n", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseStat([]byte(tt.data))
			if tt.wantErr {
				assert.ErrorIs(t, err, ErrFormat)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestParseStatus(t *testing.T) {
	tests := []struct {
		name    string
		data    string
		want    uint64
		wantErr bool
	}{
		{name: "present", data: "Name:\tx\nVmPeak:\t 9 kB\nVmRSS:\t   2048 kB\nThreads: 4\n", want: 2048 << 10},
		{name: "missing", data: "Name:\tx\n", wantErr: true},
		{name: "wrong unit", data: "VmRSS:\t2 MB\n", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseStatus([]byte(tt.data))
			if tt.wantErr {
				assert.ErrorIs(t, err, ErrFormat)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestParseSystemStat(t *testing.T) {
	got, err := ParseSystemStat([]byte("cpu  100 5 50 9000 40 1 2 3 0 0\ncpu0 50 2 25 4500 20 0 1 1 0 0\n"))
	require.NoError(t, err)
	assert.Equal(t, 1610*time.Millisecond, got, "user+nice+system+irq+softirq+steal, no idle or iowait")
	_, err = ParseSystemStat([]byte("intr 1 2 3\n"))
	assert.ErrorIs(t, err, ErrFormat)
}

func TestReadThisProcess(t *testing.T) {
	u, err := Read(os.Getpid())
	require.NoError(t, err)
	assert.Positive(t, u.RSS)
	self, err := Self()
	require.NoError(t, err)
	assert.Positive(t, self.RSS)
	_, err = System()
	assert.NoError(t, err)
}

func TestCPUPercent(t *testing.T) {
	a, b := Usage{CPU: time.Second}, Usage{CPU: 3 * time.Second}
	assert.InDelta(t, 100.0, CPUPercent(a, b, 2*time.Second), 1e-9)
	assert.Zero(t, CPUPercent(a, b, 0))
}

func FuzzParseProc(f *testing.F) {
	f.Add([]byte("1 (x) S 1 2 3 4 5 6 7 8 9 10 150 50 0 0\nVmRSS:\t 1 kB\ncpu  1 2 3 4 5 6 7 8\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if d, err := ParseStat(data); err == nil {
			assert.GreaterOrEqual(t, d, time.Duration(0))
		}
		_, _ = ParseStatus(data)
		if d, err := ParseSystemStat(data); err == nil {
			assert.GreaterOrEqual(t, d, time.Duration(0))
		}
	})
}

func TestOpenFDsSeesANewFile(t *testing.T) {
	before, err := OpenFDs(os.Getpid())
	require.NoError(t, err)
	f, err := os.Open(os.Args[0])
	require.NoError(t, err)
	defer f.Close()
	after, err := OpenFDs(os.Getpid())
	require.NoError(t, err)
	assert.Equal(t, before+1, after)
	_, err = OpenFDs(-1)
	assert.Error(t, err)
}
