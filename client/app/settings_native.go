//go:build !js

package app

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// settingsFile is where the settings live under os.UserConfigDir.
const settingsFile = "skirmish/settings.json"

// settingsStore keeps the settings in a JSON file.
type settingsStore struct {
	path string // "" when the machine has no config directory: nothing is kept
}

func newSettingsStore() settingsStore {
	dir, err := os.UserConfigDir()
	if err != nil {
		return settingsStore{}
	}
	return settingsStore{path: filepath.Join(dir, settingsFile)}
}

// load reads the settings; a file not yet written is the defaults, no
// error.
func (st settingsStore) load() (Settings, error) {
	if st.path == "" {
		return DefaultSettings(), nil
	}
	data, err := os.ReadFile(st.path)
	if errors.Is(err, os.ErrNotExist) {
		return DefaultSettings(), nil
	}
	if err != nil {
		return DefaultSettings(), fmt.Errorf("app: settings: %w", err)
	}
	return decodeSettings(data)
}

// save writes the settings through a temporary file and a rename, so a
// crash mid-write leaves the old file rather than half a new one.
func (st settingsStore) save(s Settings) error {
	if st.path == "" {
		return nil
	}
	data, err := s.encode()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(st.path), 0o755); err != nil {
		return fmt.Errorf("app: settings: %w", err)
	}
	tmp := st.path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return fmt.Errorf("app: settings: %w", err)
	}
	if err := os.Rename(tmp, st.path); err != nil {
		return fmt.Errorf("app: settings: %w", err)
	}
	return nil
}

// where names the store for the logs.
func (st settingsStore) where() string { return st.path }
