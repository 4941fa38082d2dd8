package render

import (
	"fmt"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/skirmish-game/skirmish/netcode"
)

// Ranking is the scoreboard and the own line, which is added under the top
// entries when the player is not among them.
type Ranking struct {
	Board     *netcode.Board
	Self      uint32
	SelfName  string
	SelfScore uint32
}

// selfListed reports whether the own player is on the board.
func (r *Ranking) selfListed() bool {
	for _, e := range r.Board.Entries {
		if e.ID == r.Self {
			return true
		}
	}
	return false
}

// DrawBoard draws the room's top scores in a panel whose top-right corner is
// at (right, y); the own line is highlighted, bots carry a tag, and a best
// of the session above the score shows dimly beside it.
func (r *Renderer) DrawBoard(dst *ebiten.Image, rank *Ranking, right, y, scale float64) {
	title := r.res.BoldFace(13 * scale)
	face := r.res.Face(12 * scale)
	mono := r.res.MonoFace(12 * scale)
	small := r.res.Face(10 * scale)
	lh := 18 * scale
	pad := 10 * scale
	head := 22 * scale
	w := 236 * scale // room for a best (dim) left of each score
	b := rank.Board
	rows := max(len(b.Entries), 1)
	extra := !rank.selfListed() && len(b.Entries) > 0
	if extra {
		rows++
	}
	x := right - w
	r.res.Panel(dst, x, y, w, 2*pad+head+float64(rows)*lh-3*scale, scale)
	Text(dst, "LEADERBOARD", title, x+pad, y+pad, AlignStart, ColorAccent)
	// Before the room's first board the count is 0 under the own line.
	Text(dst, fmt.Sprintf("%d online", max(int(b.Players), len(b.Entries))), face, x+w-pad, y+pad, AlignEnd, ColorTextDim)
	if len(b.Entries) == 0 {
		Text(dst, "no scores yet", face, x+pad, y+pad+head, AlignStart, ColorTextDim)
		return
	}
	line := func(i int, place string, e netcode.BoardEntry) {
		ly := y + pad + head + float64(i)*lh
		c := Lighten(PlayerColor(e.ID), 0.3)
		if e.ID == rank.Self {
			Bar(dst, x+pad/2, ly-2*scale, w-pad, lh-2*scale, 1, WithAlpha(ColorAccent, 0.18))
			c = ColorText
		}
		Text(dst, place, mono, x+pad, ly, AlignStart, ColorTextDim)
		name := e.Name
		if e.Bot {
			name = botLabel(name)
		}
		Text(dst, name, face, x+pad+26*scale, ly, AlignStart, c)
		if e.Bot {
			r.drawBotTag(dst, x+pad+30*scale+TextWidth(name, face), ly, scale, 1)
		}
		if e.Best > e.Score {
			// Worded, as a bare second number beside the score reads as
			// nothing a newcomer knows.
			Text(dst, fmt.Sprintf("best %d", e.Best), small, x+w-pad-44*scale, ly+2*scale, AlignEnd, ColorTextDim)
		}
		Text(dst, fmt.Sprintf("%d", e.Score), mono, x+w-pad, ly, AlignEnd, c)
	}
	for i, e := range b.Entries {
		line(i, fmt.Sprintf("%2d", i+1), e)
	}
	if extra {
		line(len(b.Entries), " …", netcode.BoardEntry{ID: rank.Self, Name: rank.SelfName, Score: rank.SelfScore})
	}
}
