//go:build !js

package app

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSettingsFileRoundTrip(t *testing.T) {
	st := settingsStore{path: filepath.Join(t.TempDir(), "skirmish", "settings.json")}
	got, err := st.load()
	require.NoError(t, err, "no file yet is no error")
	assert.Equal(t, DefaultSettings(), got)

	want := Settings{Volume: 0.25, ShowStats: false, Name: "Zoë"}
	require.NoError(t, st.save(want))
	got, err = st.load()
	require.NoError(t, err)
	assert.Equal(t, want, got)
	_, err = os.Stat(st.path + ".tmp")
	assert.ErrorIs(t, err, os.ErrNotExist, "the temporary file is renamed away")

	require.NoError(t, os.WriteFile(st.path, []byte("not json"), 0o644))
	got, err = st.load()
	assert.Error(t, err)
	assert.Equal(t, DefaultSettings(), got)

	none := settingsStore{}
	require.NoError(t, none.save(want), "no config directory: nothing kept, no error")
}
