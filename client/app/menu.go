package app

import (
	"fmt"
	"math"
	"strings"

	"github.com/skirmish-game/skirmish/client/render"
	"github.com/skirmish-game/skirmish/netcode"
)

// The menu's items, top to bottom.
const (
	itemResume = iota
	itemVolume
	itemStats
	itemName
	itemLeave
	numItems
)

// volumeStep is how much a key press or a pad's push moves the volume.
const volumeStep = 0.1

// menuAction is what the menu asks of the game after an input.
type menuAction uint8

const (
	menuNone     menuAction = iota
	menuClosed              // back to the game
	menuChanged             // a setting changed: apply and save it
	menuLeave               // leave the game for the start screen
	menuSelected            // the focus moved or an item was pressed: a click sound
)

// menuInput is one Update's worth of the controls the menu reads, gathered
// from the keyboard, mouse, touch and gamepads by readMenuInput (input.go),
// so that the menu itself is pure.
type menuInput struct {
	Up, Down, Left, Right bool
	Activate, Back        bool
	Point                 bool // a click or tap this Update, at X, Y
	X, Y                  float64
	Runes                 []rune
	Backspace             bool
}

// menu is the pause menu. The game goes on under it (others still play),
// but the own ship is not steered while it is open.
type menu struct {
	open    bool
	focus   int
	editing bool
	name    textField
}

// toggle opens or closes the menu.
func (m *menu) toggle() {
	m.open, m.editing, m.focus = !m.open, false, itemResume
}

// handle applies in to the menu and prefs, laid out in rects at HUD scale
// s, and says what the game must do.
func (m *menu) handle(in menuInput, prefs *Settings, rects []render.Rect, s float64) menuAction {
	if m.editing {
		return m.edit(in, prefs)
	}
	if in.Back {
		m.open = false
		return menuClosed
	}
	if in.Point {
		for i, r := range rects {
			if r.Contains(in.X, in.Y) {
				m.focus = i
				if i == itemVolume {
					// Clicking the gauge sets the volume where it was hit.
					g := render.SliderGauge(r, s)
					prefs.Volume = math.Round(math.Max(0, math.Min(1, (in.X-g.X)/g.W))*20) / 20
					return menuChanged
				}
				return m.press(prefs)
			}
		}
		return menuNone
	}
	switch {
	case in.Up:
		m.focus = (m.focus + numItems - 1) % numItems
		return menuSelected
	case in.Down:
		m.focus = (m.focus + 1) % numItems
		return menuSelected
	case (in.Left || in.Right) && m.focus == itemVolume:
		d := volumeStep
		if in.Left {
			d = -d
		}
		prefs.Volume = math.Round(math.Max(0, math.Min(1, prefs.Volume+d))*10) / 10
		return menuChanged
	case (in.Left || in.Right) && m.focus == itemStats:
		prefs.ShowStats = !prefs.ShowStats
		return menuChanged
	case in.Activate:
		return m.press(prefs)
	}
	return menuNone
}

// press activates the focused item.
func (m *menu) press(prefs *Settings) menuAction {
	switch m.focus {
	case itemResume:
		m.open = false
		return menuClosed
	case itemStats:
		prefs.ShowStats = !prefs.ShowStats
		return menuChanged
	case itemName:
		m.editing = true
		m.name = textField{Text: prefs.Name, MaxBytes: netcode.MaxNameLen}
		return menuSelected
	case itemLeave:
		m.open = false
		return menuLeave
	}
	return menuSelected
}

// edit types into the name: Enter (or a click) keeps it, Esc drops it.
func (m *menu) edit(in menuInput, prefs *Settings) menuAction {
	if in.Back {
		m.editing = false
		return menuSelected
	}
	m.name.Type(in.Runes)
	if in.Backspace {
		m.name.Backspace()
	}
	if in.Activate || in.Point {
		m.editing = false
		prefs.Name = strings.TrimSpace(m.name.Text)
		return menuChanged
	}
	return menuNone
}

// items are the menu's lines as prefs have them.
func (m *menu) items(prefs *Settings) []render.MenuItem {
	onOff := func(b bool) string {
		if b {
			return "on"
		}
		return "off"
	}
	name := prefs.Name
	if m.editing {
		name = m.name.Text
	}
	switch {
	case name == "" && !m.editing:
		name = "(asked)"
	case !m.editing:
		name += "  · next game"
	}
	it := []render.MenuItem{
		itemResume: {Kind: render.MenuButton, Label: "Resume"},
		itemVolume: {Kind: render.MenuSlider, Label: "Volume", Value: fmt.Sprintf("%d%%", int(math.Round(prefs.Volume*100))), Fraction: prefs.Volume},
		itemStats:  {Kind: render.MenuToggle, Label: "Stats panel", Value: onOff(prefs.ShowStats)},
		itemName:   {Kind: render.MenuText, Label: "Name", Value: name, Editing: m.editing},
		itemLeave:  {Kind: render.MenuButton, Label: "Leave game", Danger: true},
	}
	it[m.focus].Focus = true
	return it
}

// menuRects lays the items out centred on a w x h screen at HUD scale s.
func menuRects(w, h int, s float64) []render.Rect {
	iw, ih, gap := math.Min(360*s, float64(w)-40*s), 44*s, 10*s
	total := float64(numItems)*ih + float64(numItems-1)*gap
	x := (float64(w) - iw) / 2
	y := (float64(h)-total)/2 + 20*s
	rects := make([]render.Rect, numItems)
	for i := range rects {
		rects[i] = render.Rect{X: x, Y: y + float64(i)*(ih+gap), W: iw, H: ih}
	}
	return rects
}

// menuButtonRect is where the button that opens the menu is, at the top left
// of the screen at HUD scale s: (x, y) and its size.
func menuButtonRect(s float64) (x, y, size float64) {
	return 12 * s, 12 * s, 38 * s
}

// menuHint is the line under the menu.
const menuHint = "Esc to resume · arrows to choose · Enter to change"
