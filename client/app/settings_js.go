package app

import (
	"errors"
	"fmt"
	"syscall/js"
)

// settingsKey is the localStorage key of the settings.
const settingsKey = "skirmish.settings"

// settingsStore keeps the settings in the page's localStorage.
type settingsStore struct{}

func newSettingsStore() settingsStore { return settingsStore{} }

// withStorage runs f on the page's localStorage. A page may be refused
// storage (a sandboxed frame, a private mode, a full quota): then it throws,
// which syscall/js turns into a panic, and the settings last one visit.
func withStorage(f func(ls js.Value)) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("app: settings: localStorage: %v", r)
		}
	}()
	ls := js.Global().Get("localStorage")
	if !ls.Truthy() {
		return errors.New("app: settings: no localStorage")
	}
	f(ls)
	return nil
}

func (settingsStore) load() (Settings, error) {
	var data string
	found := false
	if err := withStorage(func(ls js.Value) {
		if v := ls.Call("getItem", settingsKey); v.Type() == js.TypeString {
			data, found = v.String(), true
		}
	}); err != nil {
		return DefaultSettings(), err
	}
	if !found {
		return DefaultSettings(), nil
	}
	return decodeSettings([]byte(data))
}

func (settingsStore) save(s Settings) error {
	data, err := s.encode()
	if err != nil {
		return err
	}
	return withStorage(func(ls js.Value) { ls.Call("setItem", settingsKey, string(data)) })
}

func (settingsStore) where() string { return "localStorage " + settingsKey }
