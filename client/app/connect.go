package app

import (
	"image/color"
	"math"
	"strings"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"
	"github.com/hajimehoshi/ebiten/v2/vector"

	"github.com/skirmish-game/skirmish/client/render"
	"github.com/skirmish-game/skirmish/netcode"
)

// Backspace auto-repeat, in ticks of the connect screen.
const (
	repeatDelay = 24
	repeatEvery = 3
)

// connectScene asks for a name and a room: type, Tab to switch, Enter to play.
type connectScene struct {
	view   *view
	rnd    *render.Renderer
	server string
	join   func(name, room string) (Scene, error) // starts the link; returns the arena
	fields [2]textField
	focus  focusRing
	runes  []rune
	err    string // why the last Enter did not join
}

func newConnectScene(cfg Config, v *view, rnd *render.Renderer, join func(name, room string) (Scene, error)) *connectScene {
	s := &connectScene{view: v, rnd: rnd, server: cfg.Server, join: join, focus: focusRing{N: 2}}
	s.fields[0] = textField{Label: "NAME", Placeholder: "pilot", Text: cfg.Name, MaxBytes: netcode.MaxNameLen}
	s.fields[1] = textField{Label: "ROOM", Placeholder: "any room", Text: cfg.Room, MaxBytes: netcode.MaxRoomLen, Allow: netcode.RoomNameRune}
	return s
}

func (s *connectScene) State() string { return StateConnect }

func (s *connectScene) Update(time.Time) (Scene, error) {
	f := &s.fields[s.focus.Index]
	s.runes = ebiten.AppendInputChars(s.runes[:0])
	if f.Type(s.runes) {
		s.err = ""
	}
	if repeating(ebiten.KeyBackspace) {
		f.Backspace()
	}
	if inpututil.IsKeyJustPressed(ebiten.KeyTab) {
		s.focus.Next(ebiten.IsKeyPressed(ebiten.KeyShift))
	}
	if inpututil.IsMouseButtonJustPressed(ebiten.MouseButtonLeft) {
		cx, cy := ebiten.CursorPosition()
		for i := range s.fields {
			x, y, w, h := s.fieldRect(i)
			if float64(cx) >= x && float64(cx) <= x+w && float64(cy) >= y && float64(cy) <= y+h {
				s.focus.Index = i
			}
		}
	}
	if enterPressed() {
		next, err := s.join(strings.TrimSpace(s.fields[0].Text), s.fields[1].Text)
		if err == nil {
			return next, nil
		}
		s.err = reason(err)
	}
	return s, nil
}

// fieldRect is where field i is on screen, centred under the title.
func (s *connectScene) fieldRect(i int) (x, y, w, h float64) {
	v := s.view
	w, h = 340*v.scale, 40*v.scale
	x = (float64(v.w) - w) / 2
	y = float64(v.h)*0.42 + float64(i)*78*v.scale
	return x, y, w, h
}

// Draw draws the form over the arena, which the camera circles (Game.step).
func (s *connectScene) Draw(screen *ebiten.Image, f *render.Frame) {
	sc, res := f.Scale, s.rnd.Resources()
	s.rnd.DrawWorld(screen, f)
	vector.FillRect(screen, 0, 0, float32(f.W), float32(f.H), color.RGBA{0, 0, 0, 110}, false)

	cx := float64(f.W) / 2
	top := float64(f.H) * 0.16
	render.Text(screen, "SKIRMISH", res.BoldFace(64*sc), cx, top, render.AlignCenter, render.ColorAccent)
	render.Text(screen, "a real-time arena shooter", res.Face(17*sc), cx, top+80*sc, render.AlignCenter, render.ColorTextDim)

	x0, y0, w0, _ := s.fieldRect(0)
	_, y1, _, h1 := s.fieldRect(1)
	pad := 24 * sc
	res.Panel(screen, x0-pad, y0-44*sc, w0+2*pad, y1+h1-y0+44*sc+58*sc, sc)
	for i := range s.fields {
		s.drawField(screen, i, f.T)
	}
	if s.err != "" {
		render.Text(screen, s.err, res.Face(14*sc), cx, y1+h1+22*sc, render.AlignCenter, render.ColorBorder)
	} else {
		render.Text(screen, "Tab to switch · Enter to play", res.Face(14*sc), cx, y1+h1+22*sc, render.AlignCenter, render.ColorText)
	}
	render.Text(screen, s.server, res.MonoFace(12*sc), cx, float64(f.H)-30*sc, render.AlignCenter, render.ColorTextDim)
}

func (s *connectScene) drawField(screen *ebiten.Image, i int, t float64) {
	sc, res := s.view.scale, s.rnd.Resources()
	f := &s.fields[i]
	x, y, w, h := s.fieldRect(i)
	focused := s.focus.Index == i
	render.Text(screen, f.Label, res.BoldFace(12*sc), x, y-20*sc, render.AlignStart, render.ColorTextDim)
	vector.FillRect(screen, float32(x), float32(y), float32(w), float32(h), color.RGBA{8, 12, 22, 230}, false)
	edge := render.ColorPanelEdge
	if focused {
		edge = render.ColorAccent
	}
	vector.StrokeRect(screen, float32(x), float32(y), float32(w), float32(h), float32(1.5*sc), edge, false)
	face := res.Face(19 * sc)
	tx, ty := x+12*sc, y+(h-face.Size*1.25)/2
	if f.Text == "" {
		render.Text(screen, f.Placeholder, face, tx, ty, render.AlignStart, render.WithAlpha(render.ColorTextDim, 0.6))
	} else {
		render.Text(screen, f.Text, face, tx, ty, render.AlignStart, render.ColorText)
	}
	if focused && math.Mod(t, 1) < 0.55 {
		caret := tx + render.TextWidth(f.Text, face) + 2*sc
		vector.FillRect(screen, float32(caret), float32(y+9*sc), float32(2*sc), float32(h-18*sc), render.ColorAccent, false)
	}
}

// enterPressed reports a press of either Enter key this tick.
func enterPressed() bool {
	return inpututil.IsKeyJustPressed(ebiten.KeyEnter) || inpututil.IsKeyJustPressed(ebiten.KeyNumpadEnter)
}
