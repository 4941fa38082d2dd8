package render

import (
	"image/color"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
)

// FeedLine is one kill in the kill feed.
type FeedLine struct {
	Killer, Victim       string // call signs, without the wire's bot suffix
	KillerBot, VictimBot bool   // drawn with a BOT tag, as on the board
	KillerColor          color.RGBA
	VictimColor          color.RGBA
	Own                  bool      // the own player killed or was killed: highlighted
	At                   time.Time // when it happened
}

// Feed timing: a line stays up, then fades.
const (
	FeedHold = 5 * time.Second
	feedFade = 800 * time.Millisecond
)

// feedNameMax is the widest a name is drawn in the feed, at HUD scale 1;
// boardClear is the board's width and margin, and a feed line's own around
// a name (half the gap, a BOT tag, its padding), which its half must leave
// free beside the board.
const (
	feedNameMax = 160.0
	boardClear  = 248.0 + 44.0
)

// DrawFeed draws the kill feed, newest at the bottom, centred at the top of
// a w pixel wide screen from y down, at HUD scale s.
func (r *Renderer) DrawFeed(dst *ebiten.Image, lines []FeedLine, now time.Time, w int, y, s float64) {
	face := r.res.BoldFace(13 * s)
	lh := 22 * s
	gap := 34 * s
	cx := float64(w) / 2
	nameMax := min(feedNameMax*s, max(40*s, cx-boardClear*s))
	for i, l := range lines {
		age := now.Sub(l.At)
		if age < 0 || age >= FeedHold+feedFade {
			continue
		}
		a := 1.0
		if age > FeedHold {
			a = 1 - float64(age-FeedHold)/float64(feedFade)
		}
		// A long name is cut, so that a line keeps clear of the stats
		// panel and the board on a small screen.
		killer, victim := Fit(l.Killer, face, nameMax), Fit(l.Victim, face, nameMax)
		kw, vw := TextWidth(killer, face), TextWidth(victim, face)
		tag := r.botTagWidth(s) + 4*s
		kx := kw // where the killer's part ends: name and tag
		if l.KillerBot {
			kx += tag
		}
		total := kx + gap + vw
		if l.VictimBot {
			total += tag
		}
		x := cx - total/2
		ly := y + float64(i)*lh
		bg := WithAlpha(ColorPanel, 0.75*a)
		if l.Own {
			bg = WithAlpha(color.RGBA{60, 30, 40, 230}, a)
		}
		Bar(dst, x-10*s, ly-3*s, total+20*s, lh-4*s, 1, bg)
		Text(dst, killer, face, x, ly, AlignStart, WithAlpha(Lighten(l.KillerColor, 0.25), a))
		if l.KillerBot {
			r.drawBotTag(dst, x+kw+4*s, ly+1*s, s, a)
		}
		// A little shot flies from the killer to the victim.
		sprite(dst, r.res.Shot, x+kx+gap/2, ly+face.Size*0.62, 0, gap*1.2, WithAlpha(Lighten(l.KillerColor, 0.5), a), ebiten.BlendLighter)
		Text(dst, victim, face, x+kx+gap, ly, AlignStart, WithAlpha(Lighten(l.VictimColor, 0.25), a))
		if l.VictimBot {
			r.drawBotTag(dst, x+kx+gap+vw+4*s, ly+1*s, s, a)
		}
	}
}
