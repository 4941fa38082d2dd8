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
	ctl    controls
	// shift is how far left of the screen's middle the form sits, so that
	// the lobby's room list fits beside it and the two are centred together.
	shift float64
}

func newConnectScene(cfg Config, v *view, rnd *render.Renderer, join func(name, room string) (Scene, error)) *connectScene {
	s := &connectScene{view: v, rnd: rnd, server: cfg.Server, join: join, focus: focusRing{N: 2}}
	s.fields[0] = textField{Label: "NAME", Placeholder: "pilot", Text: cfg.Name, MaxBytes: netcode.MaxNameLen}
	s.fields[1] = textField{Label: "ROOM", Placeholder: "quick play: any room with space", Text: cfg.Room, MaxBytes: netcode.MaxRoomLen, Allow: netcode.RoomNameRune}
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
	// Enter, a gamepad's A or Start, or a tap on PLAY.
	play := enterPressed() || s.ctl.padPressed(ebiten.StandardGamepadButtonRightBottom) ||
		s.ctl.padPressed(ebiten.StandardGamepadButtonCenterRight)
	if cx, cy, ok := s.ctl.pointerPressed(); ok {
		for i := range s.fields {
			x, y, w, h := s.fieldRect(i)
			if (render.Rect{X: x, Y: y, W: w, H: h}).Contains(cx, cy) {
				s.focus.Index = i
			}
		}
		// A phone has no Enter key: the button plays.
		play = play || s.playRect().Contains(cx, cy)
	}
	if play {
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
	v, sc := s.view, s.scale()
	w, h = min(340*sc, float64(v.w)*0.8), 40*sc
	x = (float64(v.w)-w)/2 - s.shift
	y = s.top() + 140*sc + float64(i)*78*sc
	return x, y, w, h
}

// playRect is the Play button's, under the fields.
func (s *connectScene) playRect() render.Rect {
	x, y, w, h := s.fieldRect(1)
	return render.Rect{X: x, Y: y + h + 22*s.scale(), W: w, H: h}
}

// panelRect is the form's panel, around its fields and PLAY button.
func (s *connectScene) panelRect() render.Rect {
	sc := s.scale()
	x, y, w, _ := s.fieldRect(0)
	pb := s.playRect()
	pad := 24 * sc
	return render.Rect{X: x - pad, Y: y - 44*sc, W: w + 2*pad, H: pb.Y + pb.H - y + 44*sc + 50*sc}
}

// top is where the title goes.
func (s *connectScene) top() float64 { return float64(s.view.h) * 0.16 }

// scale is the form's size factor: the HUD's, so that it fits a small
// screen.
func (s *connectScene) scale() float64 { return render.HUDScale(s.view.w, s.view.h, s.view.scale) }

// Draw draws the form over the arena, which the camera circles (Game.step).
func (s *connectScene) Draw(screen *ebiten.Image, f *render.Frame) {
	sc, res := s.scale(), s.rnd.Resources()
	s.rnd.DrawWorld(screen, f)
	vector.FillRect(screen, 0, 0, float32(f.W), float32(f.H), color.RGBA{0, 0, 0, 110}, false)

	cx := float64(f.W) / 2
	top := s.top()
	render.Text(screen, "SKIRMISH", res.BoldFace(64*sc), cx, top, render.AlignCenter, render.ColorAccent)
	render.Text(screen, "a real-time arena shooter", res.Face(17*sc), cx, top+72*sc, render.AlignCenter, render.ColorTextDim)

	panel, pb := s.panelRect(), s.playRect()
	res.Panel(screen, panel.X, panel.Y, panel.W, panel.H, sc)
	cx = pb.X + pb.W/2 // the form's own middle, left of the screen's beside a room list
	for i := range s.fields {
		s.drawField(screen, i, f.T)
	}
	vector.FillRect(screen, float32(pb.X), float32(pb.Y), float32(pb.W), float32(pb.H), render.WithAlpha(render.ColorAccent, 0.22), false)
	vector.StrokeRect(screen, float32(pb.X), float32(pb.Y), float32(pb.W), float32(pb.H), render.Stroke(1.5*sc), render.ColorAccent, false)
	bold := res.BoldFace(18 * sc)
	render.Text(screen, "PLAY", bold, cx, pb.Y+(pb.H-bold.Size*1.25)/2, render.AlignCenter, render.ColorText)
	hintY := pb.Y + pb.H + 16*sc
	if s.err != "" {
		render.Text(screen, s.err, res.Face(14*sc), cx, hintY, render.AlignCenter, render.ColorBorder)
	} else {
		render.Text(screen, "Tab to switch · Enter or tap PLAY", res.Face(14*sc), cx, hintY, render.AlignCenter, render.ColorText)
	}
	if !render.Compact(f.H, sc) {
		render.Text(screen, s.server, res.MonoFace(12*sc), float64(f.W)/2, float64(f.H)-30*sc, render.AlignCenter, render.ColorTextDim)
	}
}

func (s *connectScene) drawField(screen *ebiten.Image, i int, t float64) {
	sc, res := s.scale(), s.rnd.Resources()
	f := &s.fields[i]
	x, y, w, h := s.fieldRect(i)
	focused := s.focus.Index == i
	render.Text(screen, f.Label, res.BoldFace(12*sc), x, y-20*sc, render.AlignStart, render.ColorTextDim)
	vector.FillRect(screen, float32(x), float32(y), float32(w), float32(h), color.RGBA{8, 12, 22, 230}, false)
	edge := render.ColorPanelEdge
	if focused {
		edge = render.ColorAccent
	}
	vector.StrokeRect(screen, float32(x), float32(y), float32(w), float32(h), render.Stroke(1.5*sc), edge, false)
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
