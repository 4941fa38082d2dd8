package app

import (
	"context"
	"errors"
	"image/color"
	"log/slog"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"
	"github.com/hajimehoshi/ebiten/v2/vector"

	"github.com/skirmish-game/skirmish/client/lobby"
	"github.com/skirmish-game/skirmish/client/render"
)

// Room list layout, in logical pixels.
const (
	listRows     = 9
	listRowH     = 30.0
	listMinWidth = 280.0
	listMaxWidth = 420.0
	listGap      = 36.0
)

// lobbyScene is the connect screen with the fleet's rooms beside it: Up and
// Down (or a click) pick quick play or a room, which fills the ROOM field,
// and Enter joins as on the connect screen. The list comes from GET /rooms
// every roomsEvery while the scene shows; a server without it leaves the
// plain connect screen.
type lobbyScene struct {
	*connectScene
	list   roomList
	rooms  chan roomsResult
	cancel context.CancelFunc
}

func newLobbyScene(ctx context.Context, c *connectScene, f *fleet, log *slog.Logger) *lobbyScene {
	ctx, cancel := context.WithCancel(ctx)
	s := &lobbyScene{connectScene: c, rooms: make(chan roomsResult, 1), cancel: cancel}
	go f.listRooms(ctx, s.rooms, log)
	return s
}

func (s *lobbyScene) Update(now time.Time) (Scene, error) {
	select {
	case r := <-s.rooms:
		s.take(r)
	default:
	}
	s.layout() // the form's place, for its clicks
	room := &s.fields[1]
	// A click, or a tap on a phone, picks a row.
	px, py, pointed := s.ctl.pointerPressed()
	switch {
	case inpututil.IsKeyJustPressed(ebiten.KeyArrowDown):
		s.list.move(1)
		room.Text = s.list.selected()
	case inpututil.IsKeyJustPressed(ebiten.KeyArrowUp):
		s.list.move(-1)
		room.Text = s.list.selected()
	case pointed:
		if i, ok := s.rowAt(px, py); ok {
			s.list.pick(i)
			room.Text = s.list.selected()
		}
	}
	next, err := s.connectScene.Update(now)
	if err != nil || next != Scene(s.connectScene) {
		s.cancel() // joined (or failed for good): the list is no longer shown
		return next, err
	}
	// Typing a listed room's name selects it; any other name is a room of
	// one's own.
	if !s.list.selectName(room.Text) {
		s.list.sel = -1
	}
	return s, nil
}

// take shows one answer of GET /rooms.
func (s *lobbyScene) take(r roomsResult) {
	switch {
	case errors.Is(r.err, lobby.ErrUnavailable):
		s.list.fail("this server lists no rooms: Enter joins it directly")
	case r.err != nil:
		s.list.fail("no room list: " + reason(r.err))
	default:
		s.list.set(r.fleet)
		if !s.list.selectName(s.fields[1].Text) {
			s.list.sel = -1
		}
	}
}

// listLayout is where the list's panel goes and how many rows it shows.
type listLayout struct {
	render.Rect
	rows int
	ok   bool // there is room for it
}

// listMargin is the least space between the panels and the screen's edge.
const listMargin = 12.0

// layout places the list, and the form with it: beside the form with the
// two centred together when the screen is wide enough (a window, a phone
// held sideways), else under the form (a phone held upright), with as many
// rows as fit down to the screen's bottom; not at all with no room for two.
// It sets the form's shift, so Update calls it before the form reads its
// fields' places.
func (s *lobbyScene) layout() listLayout {
	v, sc := s.view, s.scale()
	s.shift = 0
	form := s.panelRect()
	gap, margin := listGap*sc, listMargin*sc
	avail := float64(v.w) - 2*margin - form.W - gap
	var l listLayout
	if avail >= listMinWidth*sc {
		l.W = min(listMaxWidth*sc, avail)
		pair := form.W + gap + l.W
		left := (float64(v.w) - pair) / 2
		s.shift = form.X - left
		l.X, l.Y = left+form.W+gap, form.Y
	} else {
		l.X, l.Y, l.W = form.X, form.Y+form.H+gap/2, form.W
	}
	room := (float64(v.h)-margin-l.Y)/sc - listChrome
	// A short list gets a short panel, with a little room to grow.
	l.rows = min(listRows, max(s.list.rows()+1, 4), int(room/listRowH))
	l.H = (listChrome + float64(l.rows)*listRowH) * sc
	l.ok = l.rows >= 2
	return l
}

// listChrome is the list's height besides its rows: the head above them
// (listHead) and the hint under them.
const (
	listHead   = 76.0
	listChrome = listHead + 16.0 + 20.0
)

// rowTop is the top of the list's line i (from the first shown).
func (s *lobbyScene) rowTop(y float64, i int) float64 {
	return y + (listHead+float64(i)*listRowH)*s.scale()
}

// rowAt is the row under the pointer at (cx, cy).
func (s *lobbyScene) rowAt(cx, cy float64) (int, bool) {
	l := s.layout()
	if !l.ok {
		return 0, false
	}
	first, count := s.list.window(l.rows)
	for i := range count {
		top := s.rowTop(l.Y, i)
		if cx >= l.X && cx <= l.X+l.W && cy >= top && cy < top+listRowH*s.scale() {
			return first + i, true
		}
	}
	return 0, false
}

func (s *lobbyScene) Draw(screen *ebiten.Image, f *render.Frame) {
	s.connectScene.Draw(screen, f)
	l := s.layout()
	if !l.ok {
		return
	}
	x, y, w, h := l.X, l.Y, l.W, l.H
	sc, res := s.scale(), s.rnd.Resources()
	res.Panel(screen, x, y, w, h, sc)
	pad := 16 * sc
	render.Text(screen, "ROOMS", res.BoldFace(12*sc), x+pad, y+22*sc, render.AlignStart, render.ColorTextDim)
	render.Text(screen, s.list.summary(), res.Face(13*sc), x+pad, y+42*sc, render.AlignStart, render.ColorText)
	first, count := s.list.window(l.rows)
	name, seats, where := res.Face(16*sc), res.MonoFace(14*sc), res.Face(12*sc)
	for i := range count {
		row := first + i
		top := s.rowTop(y, i)
		rh := listRowH * sc
		if row == s.list.sel {
			vector.FillRect(screen, float32(x+6*sc), float32(top), float32(w-12*sc), float32(rh-2*sc), color.RGBA{30, 70, 100, 200}, false)
			vector.StrokeRect(screen, float32(x+6*sc), float32(top), float32(w-12*sc), float32(rh-2*sc), render.Stroke(1.2*sc), render.ColorAccent, false)
		}
		n, st, wh, full := s.list.row(row)
		c := render.ColorText
		if full {
			c = render.WithAlpha(render.ColorTextDim, 0.7)
		}
		if row == 0 {
			c = render.ColorAccent
		}
		ty := top + (rh-name.Size*1.25)/2
		wx := x + w*0.48
		render.Text(screen, render.Fit(n, name, wx-x-pad-8*sc), name, x+pad, ty, render.AlignStart, c)
		render.Text(screen, st, seats, x+w-pad, ty+2*sc, render.AlignEnd, c)
		render.Text(screen, render.Fit(wh, where, x+w-pad-render.TextWidth("000/000", seats)-wx-8*sc), where, wx, ty+3*sc, render.AlignStart, render.ColorTextDim)
	}
	render.Text(screen, "Up, Down or a tap picks · Enter or PLAY joins", res.Face(12*sc), x+pad, y+h-24*sc, render.AlignStart, render.ColorTextDim)
}
