package app

import (
	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"
)

// aimDevice is what the player aims with now: the last one used.
type aimDevice uint8

const (
	aimMouse aimDevice = iota
	aimTouch
	aimPad
)

// controls are the player's input devices beyond the keyboard: the touch
// screen's twin sticks and the gamepads, and which aims.
type controls struct {
	touch  touchPad
	aimBy  aimDevice
	aiming bool   // the aim stick (touch or pad) is pushed now
	cursor [2]int // the mouse, last Update: a move hands it the aim back
	pads   []ebiten.GamepadID
	runes  []rune
	tids   []ebiten.TouchID
}

// pointerPressed reports a click of the left mouse button or a finger put
// down this Update, and where.
func (c *controls) pointerPressed() (x, y float64, ok bool) {
	if inpututil.IsMouseButtonJustPressed(ebiten.MouseButtonLeft) {
		cx, cy := ebiten.CursorPosition()
		return float64(cx), float64(cy), true
	}
	c.tids = inpututil.AppendJustPressedTouchIDs(c.tids[:0])
	if len(c.tids) > 0 {
		tx, ty := ebiten.TouchPosition(c.tids[0])
		return float64(tx), float64(ty), true
	}
	return 0, 0, false
}

// padPressed reports button b pressed this Update on any gamepad with the
// standard layout.
func (c *controls) padPressed(b ebiten.StandardGamepadButton) bool {
	c.pads = ebiten.AppendGamepadIDs(c.pads[:0])
	for _, id := range c.pads {
		if inpututil.IsStandardGamepadButtonJustPressed(id, b) {
			return true
		}
	}
	return false
}

// menuToggled reports Esc, or Start on a gamepad, pressed this Update.
func (c *controls) menuToggled() bool {
	return inpututil.IsKeyJustPressed(ebiten.KeyEscape) || c.padPressed(ebiten.StandardGamepadButtonCenterRight)
}

// readMenuInput gathers what the open menu reads this Update.
func (c *controls) readMenuInput() menuInput {
	key := inpututil.IsKeyJustPressed
	in := menuInput{
		Up:        key(ebiten.KeyArrowUp) || key(ebiten.KeyW),
		Down:      key(ebiten.KeyArrowDown) || key(ebiten.KeyS),
		Left:      key(ebiten.KeyArrowLeft) || key(ebiten.KeyA),
		Right:     key(ebiten.KeyArrowRight) || key(ebiten.KeyD),
		Activate:  enterPressed() || key(ebiten.KeySpace),
		Back:      key(ebiten.KeyEscape),
		Backspace: repeating(ebiten.KeyBackspace),
	}
	c.runes = ebiten.AppendInputChars(c.runes[:0])
	in.Runes = c.runes
	in.X, in.Y, in.Point = c.pointerPressed()
	c.pads = ebiten.AppendGamepadIDs(c.pads[:0])
	for _, id := range c.pads {
		pad := func(b ebiten.StandardGamepadButton) bool { return inpututil.IsStandardGamepadButtonJustPressed(id, b) }
		in.Up = in.Up || pad(ebiten.StandardGamepadButtonLeftTop)
		in.Down = in.Down || pad(ebiten.StandardGamepadButtonLeftBottom)
		in.Left = in.Left || pad(ebiten.StandardGamepadButtonLeftLeft)
		in.Right = in.Right || pad(ebiten.StandardGamepadButtonLeftRight)
		in.Activate = in.Activate || pad(ebiten.StandardGamepadButtonRightBottom)
		in.Back = in.Back || pad(ebiten.StandardGamepadButtonRightRight) || pad(ebiten.StandardGamepadButtonCenterRight)
	}
	return in
}

// repeating reports a key pressed this Update or held long enough to
// repeat, as text fields do.
func repeating(k ebiten.Key) bool {
	d := inpututil.KeyPressDuration(k)
	return d == 1 || d >= repeatDelay && d%repeatEvery == 0
}

// Gamepad dead zones, as a fraction of the stick's travel.
const (
	padMoveDead = 0.3
	padAimDead  = 0.35
	padTrigger  = 0.4 // an analog trigger past this fires
)

// readPads reads every gamepad with the standard layout: left stick (or the
// d-pad) moves, right stick aims, the right trigger or shoulder fires. aimed
// says whether a right stick is pushed, aim where to.
func (c *controls) readPads() (h held, aim float64, aimed bool) {
	c.pads = ebiten.AppendGamepadIDs(c.pads[:0])
	for _, id := range c.pads {
		if !ebiten.IsStandardGamepadLayoutAvailable(id) {
			continue
		}
		axis := func(a ebiten.StandardGamepadAxis) float64 { return ebiten.StandardGamepadAxisValue(id, a) }
		button := func(b ebiten.StandardGamepadButton) bool { return ebiten.IsStandardGamepadButtonPressed(id, b) }
		m := stickHeld(axis(ebiten.StandardGamepadAxisLeftStickHorizontal), axis(ebiten.StandardGamepadAxisLeftStickVertical), padMoveDead)
		m.Up = m.Up || button(ebiten.StandardGamepadButtonLeftTop)
		m.Down = m.Down || button(ebiten.StandardGamepadButtonLeftBottom)
		m.Left = m.Left || button(ebiten.StandardGamepadButtonLeftLeft)
		m.Right = m.Right || button(ebiten.StandardGamepadButtonLeftRight)
		m.Fire = button(ebiten.StandardGamepadButtonFrontTopRight) ||
			ebiten.StandardGamepadButtonValue(id, ebiten.StandardGamepadButtonFrontBottomRight) > padTrigger
		h = h.or(m)
		if a, ok := stickAim(axis(ebiten.StandardGamepadAxisRightStickHorizontal), axis(ebiten.StandardGamepadAxisRightStickVertical), padAimDead); ok {
			aim, aimed = a, true
		}
	}
	return h, aim, aimed
}
