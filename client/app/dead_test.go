package app

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestClockAndPlural(t *testing.T) {
	assert.Equal(t, "0:00", clock(0))
	assert.Equal(t, "1:05", clock(65*time.Second+300*time.Millisecond))
	assert.Equal(t, "12:00", clock(12*time.Minute))
	assert.Equal(t, "0 kills", plural(0, "kill"))
	assert.Equal(t, "1 kill", plural(1, "kill"))
	assert.Equal(t, "3 kills", plural(3, "kill"))
	assert.Equal(t, "a drone", playerName("", 0))
	assert.Equal(t, "pilot", playerName("", 7))
	assert.Equal(t, "Bob", playerName("Bob", 7))
}
