package netcode

import (
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/game"
)

// protocolSection returns the text of PROTOCOL.md from heading to the next
// heading of that level or above.
func protocolSection(t *testing.T, heading string) string {
	t.Helper()
	doc, err := os.ReadFile("../PROTOCOL.md")
	require.NoError(t, err)
	text := string(doc)
	at := strings.Index(text, "\n"+heading+"\n")
	require.GreaterOrEqual(t, at, 0, "PROTOCOL.md has %q", heading)
	text = text[at+len(heading)+2:]
	if end := strings.Index(text, "\n### "); end >= 0 {
		text = text[:end]
	}
	if end := strings.Index(text, "\n## "); end >= 0 {
		text = text[:end]
	}
	return text
}

// TestProtocolLevels holds PROTOCOL.md 7.5 to the game: the score each level
// starts at, and which stat each level raises.
func TestProtocolLevels(t *testing.T) {
	text := protocolSection(t, "### 7.5 Levels")
	flat := strings.Join(strings.Fields(text), " ")
	starts := regexp.MustCompile(`level 2 at (\d+), 3 at (\d+), 4 at (\d+), 5 at (\d+), 6 at (\d+), 7 at (\d+), 8 at (\d+), 9 at (\d+), 10 at (\d+)`).FindStringSubmatch(flat)
	require.NotNil(t, starts, "7.5 lists where each level starts")
	for i, s := range starts[1:] {
		n, err := strconv.Atoi(s)
		require.NoError(t, err)
		assert.Equal(t, game.LevelScore(i+2), n, "level %d starts at", i+2)
	}

	stats := map[string]game.Stat{
		"fire rate": game.StatFireRate, "speed": game.StatSpeed, "max HP": game.StatMaxHP,
		"regen": game.StatRegen, "damage": game.StatDamage, "shot speed": game.StatShotSpeed,
	}
	row := regexp.MustCompile(`(?m)^\| ([\d, ]+) \| ([a-zA-Z ]+) \|`)
	seen := map[int]bool{}
	for _, m := range row.FindAllStringSubmatch(text, -1) {
		stat, ok := stats[m[2]]
		require.True(t, ok, "7.5 names stat %q", m[2])
		for _, l := range strings.Split(m[1], ",") {
			level, err := strconv.Atoi(strings.TrimSpace(l))
			require.NoError(t, err)
			assert.Equal(t, game.LevelStat(level), stat, "level %d raises", level)
			seen[level] = true
		}
	}
	for level := 2; level <= game.MaxLevel; level++ {
		assert.True(t, seen[level], "7.5's table has level %d", level)
	}
	top := game.StatsAt(game.MaxLevel)
	for _, want := range []string{
		"| " + strconv.Itoa(secondsToTicks(top.FireInterval, game.DefaultTickRate)) + " ticks |",
		"| " + strconv.Itoa(int(top.Speed)) + " |",
		"| " + strconv.Itoa(top.MaxHP) + " |",
		"| " + strconv.Itoa(top.Regen) + " |",
		"| " + strconv.Itoa(top.Damage) + " |",
		"| " + strconv.Itoa(int(top.ShotSpeed)) + " |",
	} {
		assert.Contains(t, text, want, "7.5 gives level 10's stats")
	}
}

// secondsToTicks is game's rounding of a duration to whole ticks, as
// PROTOCOL.md 7.4 gives it: round(seconds × TickRate), at least 1.
func secondsToTicks(s float64, tickRate int) int {
	return max(1, int(s*float64(tickRate)+0.5))
}
