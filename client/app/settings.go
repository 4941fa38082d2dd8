package app

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"

	"github.com/skirmish-game/skirmish/client/sound"
	"github.com/skirmish-game/skirmish/netcode"
)

// Settings are the player's choices in the menu, remembered between
// games: in the browser's localStorage, on the desktop in a small JSON file
// (settings_js.go, settings_native.go).
type Settings struct {
	Volume    float64 `json:"volume"`     // master volume, 0..1
	ShowStats bool    `json:"show_stats"` // the connection and performance panel
	Name      string  `json:"name"`       // the name to join with; empty: asked
}

// DefaultSettings are a first start's. The stats panel starts off: its
// ping, ticks and kbit/s mean nothing to a new player, and on a small
// screen it covers a quarter of the arena; the menu turns it on.
func DefaultSettings() Settings {
	return Settings{Volume: sound.DefaultVolume}
}

// decodeSettings reads settings saved by encode. Fields missing from data
// keep their defaults and values out of range are brought into it, so an
// old or hand-edited file still loads.
func decodeSettings(data []byte) (Settings, error) {
	s := DefaultSettings()
	if err := json.Unmarshal(data, &s); err != nil {
		return DefaultSettings(), fmt.Errorf("app: settings: %w", err)
	}
	s.clean()
	return s, nil
}

func (s Settings) encode() ([]byte, error) {
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("app: settings: %w", err)
	}
	return append(data, '\n'), nil
}

// clean brings every field into its range.
func (s *Settings) clean() {
	if math.IsNaN(s.Volume) {
		s.Volume = sound.DefaultVolume
	}
	s.Volume = math.Max(0, math.Min(1, s.Volume))
	s.Name = strings.TrimSpace(netcode.TruncateUTF8(s.Name, netcode.MaxNameLen))
}
