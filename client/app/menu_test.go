package app

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/client/render"
)

func TestMenuHandle(t *testing.T) {
	rects := menuRects(1280, 720, 1)
	center := func(i int) menuInput {
		r := rects[i]
		return menuInput{Point: true, X: r.X + r.W/2, Y: r.Y + r.H/2}
	}
	for _, tc := range []struct {
		name   string
		focus  int
		in     menuInput
		want   menuAction
		open   bool
		focus2 int
		check  func(t *testing.T, s Settings)
	}{
		{name: "Esc closes", in: menuInput{Back: true}, want: menuClosed},
		{name: "Enter on Resume closes", in: menuInput{Activate: true}, want: menuClosed},
		{name: "down moves the focus", in: menuInput{Down: true}, want: menuSelected, open: true, focus2: itemVolume},
		{name: "up wraps to the bottom", in: menuInput{Up: true}, want: menuSelected, open: true, focus2: itemLeave},
		{name: "right turns the volume up", focus: itemVolume, in: menuInput{Right: true}, want: menuChanged, open: true, focus2: itemVolume,
			check: func(t *testing.T, s Settings) { assert.InDelta(t, 0.8, s.Volume, 1e-9) }},
		{name: "left turns it down", focus: itemVolume, in: menuInput{Left: true}, want: menuChanged, open: true, focus2: itemVolume,
			check: func(t *testing.T, s Settings) { assert.InDelta(t, 0.6, s.Volume, 1e-9) }},
		{name: "Enter toggles the stats panel", focus: itemStats, in: menuInput{Activate: true}, want: menuChanged, open: true, focus2: itemStats,
			check: func(t *testing.T, s Settings) { assert.False(t, s.ShowStats) }},
		{name: "a tap on Leave leaves", in: center(itemLeave), want: menuLeave, focus2: itemLeave},
		{name: "a tap on the gauge's left end mutes", in: func() menuInput {
			g := render.SliderGauge(rects[itemVolume], 1)
			return menuInput{Point: true, X: g.X, Y: g.Y + g.H/2}
		}(), want: menuChanged, open: true, focus2: itemVolume,
			check: func(t *testing.T, s Settings) { assert.Zero(t, s.Volume) }},
		{name: "a tap beside the menu does nothing", in: menuInput{Point: true, X: 1, Y: 1}, want: menuNone, open: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := menu{open: true, focus: tc.focus}
			s := Settings{Volume: 0.7, ShowStats: true}
			assert.Equal(t, tc.want, m.handle(tc.in, &s, rects, 1))
			assert.Equal(t, tc.open, m.open, "open")
			assert.Equal(t, tc.focus2, m.focus, "focus")
			if tc.check != nil {
				tc.check(t, s)
			}
		})
	}
}

func TestMenuEditsName(t *testing.T) {
	rects := menuRects(1280, 720, 1)
	m := menu{open: true, focus: itemName}
	s := Settings{Name: "ann"}
	require.Equal(t, menuSelected, m.handle(menuInput{Activate: true}, &s, rects, 1))
	require.True(t, m.editing)
	assert.Equal(t, menuNone, m.handle(menuInput{Backspace: true, Runes: []rune("iex")}, &s, rects, 1))
	assert.Equal(t, "annie", m.items(&s)[itemName].Value, "typed then the last rune erased: backspace comes after typing")
	assert.Equal(t, "ann", s.Name, "not kept before Enter")
	assert.Equal(t, menuChanged, m.handle(menuInput{Activate: true}, &s, rects, 1))
	assert.Equal(t, "annie", s.Name)
	assert.True(t, m.open, "the menu stays open")

	require.Equal(t, menuSelected, m.handle(menuInput{Activate: true}, &s, rects, 1))
	m.handle(menuInput{Runes: []rune("xyz")}, &s, rects, 1)
	assert.Equal(t, menuSelected, m.handle(menuInput{Back: true}, &s, rects, 1), "Esc drops the edit")
	assert.Equal(t, "annie", s.Name)
	assert.True(t, m.open, "Esc while editing does not close the menu")
}

func TestMenuItems(t *testing.T) {
	m := menu{focus: itemStats}
	it := m.items(&Settings{Volume: 0.35, ShowStats: false})
	require.Len(t, it, numItems)
	assert.True(t, it[itemStats].Focus)
	assert.Equal(t, "off", it[itemStats].Value)
	assert.Equal(t, "35%", it[itemVolume].Value)
	assert.Equal(t, "(asked)", it[itemName].Value)
	assert.True(t, it[itemLeave].Danger)
}

func TestMenuRectsFitSmallScreens(t *testing.T) {
	for _, tc := range []struct {
		name string
		w, h int
	}{{"desktop", 1280, 720}, {"small window", 480, 270}, {"phone portrait", 390, 844}} {
		t.Run(tc.name, func(t *testing.T) {
			s := render.HUDScale(tc.w, tc.h, 1)
			for _, r := range menuRects(tc.w, tc.h, s) {
				assert.GreaterOrEqual(t, r.X, 0.0)
				assert.LessOrEqual(t, r.X+r.W, float64(tc.w))
				assert.GreaterOrEqual(t, r.Y, 0.0)
				assert.LessOrEqual(t, r.Y+r.H, float64(tc.h))
			}
		})
	}
}
