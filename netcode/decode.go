package netcode

import (
	"fmt"
	"math"
)

// Element counts of each message array; a frame with any other count is
// malformed (Hello of another protocol version aside, see DecodeHello).
const (
	helloLen      = 6
	helloLenOld   = 5 // a hello without its Ticket, as written before tickets, still decodes
	welcomeLen    = 10
	inputLen      = 7
	snapshotLen   = 7
	pingLen       = 2
	pongLen       = 4
	errorLen      = 3
	boardLen      = 3
	boardEntryLen = 5
)

// PeekKind returns a frame's kind without decoding the rest: the frame must
// start with an array header of at least one element followed by a positive
// fixint. A kind outside KindHello..KindBoard is returned with ErrUnknownKind.
func PeekKind(data []byte) (Kind, error) {
	if len(data) == 0 {
		return 0, malformed("frame", "empty")
	}
	var n, off int
	switch c := data[0]; {
	case c >= 0x90 && c <= 0x9f: // fixarray
		n, off = int(c&0x0f), 1
	case c == 0xdc && len(data) >= 3: // array 16
		n, off = int(data[1])<<8|int(data[2]), 3
	case c == 0xdd && len(data) >= 5: // array 32
		n, off = int(data[1])<<24|int(data[2])<<16|int(data[3])<<8|int(data[4]), 5
	default:
		return 0, malformed("frame", "want an array header, got 0x%02x", c)
	}
	if n == 0 {
		return 0, malformed("frame", "empty array")
	}
	if len(data) <= off {
		return 0, malformed("kind", "truncated")
	}
	c := data[off]
	if c > 0x7f {
		return 0, malformed("kind", "want a positive fixint, got code 0x%02x", c)
	}
	k := Kind(c)
	if k < KindHello || k > KindBoard {
		return k, fmt.Errorf("%w: %d", ErrUnknownKind, k)
	}
	return k, nil
}

// DecodeHello decodes and validates a Hello, all but its Version.
//
// A Hello whose Version is not ProtocolVersion decodes without error to just
// Kind and Version, whatever else it holds: the rest is that version's
// business, and the server must be able to answer it with CloseProtocolError.
// A version too large for a uint16 reads as math.MaxUint16.
func DecodeHello(data []byte, h *Hello) error {
	r := reader{b: data}
	n, err := r.header("hello")
	if err != nil {
		return err
	}
	if n < 2 || n > r.left() {
		return malformed("hello", "%d elements, want %d or %d", n, helloLenOld, helloLen)
	}
	if err := r.kind(KindHello); err != nil {
		return err
	}
	v, err := r.int("hello version", 0, math.MaxInt64)
	if err != nil {
		return err
	}
	m := Hello{Kind: KindHello, Version: uint16(min(v, math.MaxUint16))}
	if m.Version != ProtocolVersion {
		*h = m
		return nil
	}
	if n != helloLen && n != helloLenOld {
		return malformed("hello", "%d elements, want %d or %d", n, helloLenOld, helloLen)
	}
	if m.Name, err = r.str("hello name", MaxNameLen); err != nil {
		return err
	}
	if m.Room, err = r.str("hello room", MaxRoomLen); err != nil {
		return err
	}
	if m.Token, err = r.str("hello token", MaxTokenLen); err != nil {
		return err
	}
	if n == helloLen {
		if m.Ticket, err = r.str("hello ticket", MaxTicketLen); err != nil {
			return err
		}
	}
	if err := r.end(); err != nil {
		return err
	}
	if err := validateHello(&m); err != nil {
		return err
	}
	*h = m
	return nil
}

// DecodeInput decodes and validates an Input. On error *in is unchanged.
func DecodeInput(data []byte, in *Input) error {
	r := reader{b: data}
	if err := r.array("input", inputLen); err != nil {
		return err
	}
	if err := r.kind(KindInput); err != nil {
		return err
	}
	m := Input{Kind: KindInput}
	var err error
	if m.Seq, err = r.uint32("input seq"); err != nil {
		return err
	}
	if m.Move, err = r.uint8("input move"); err != nil {
		return err
	}
	aim, err := r.float("input aim")
	if err != nil {
		return err
	}
	m.Aim = float32(aim) // out of float32's range becomes ±Inf and fails validation
	if m.Buttons, err = r.uint8("input buttons"); err != nil {
		return err
	}
	if m.Ack, err = r.uint32("input ack"); err != nil {
		return err
	}
	if m.View, err = r.uint16("input view"); err != nil {
		return err
	}
	if err := r.end(); err != nil {
		return err
	}
	if err := validateInput(&m); err != nil {
		return err
	}
	*in = m
	return nil
}

// DecodePing decodes a Ping. On error *p is unchanged.
func DecodePing(data []byte, p *Ping) error {
	r := reader{b: data}
	if err := r.array("ping", pingLen); err != nil {
		return err
	}
	if err := r.kind(KindPing); err != nil {
		return err
	}
	t, err := r.int64("ping client time")
	if err != nil {
		return err
	}
	if err := r.end(); err != nil {
		return err
	}
	*p = Ping{Kind: KindPing, ClientTime: t}
	return nil
}

// DecodeWelcome decodes and validates a Welcome. On error *w is unchanged.
func DecodeWelcome(data []byte, w *Welcome) error {
	r := reader{b: data}
	if err := r.array("welcome", welcomeLen); err != nil {
		return err
	}
	if err := r.kind(KindWelcome); err != nil {
		return err
	}
	m := Welcome{Kind: KindWelcome}
	var err error
	if m.PlayerID, err = r.uint32("welcome player id"); err != nil {
		return err
	}
	if m.Room, err = r.str("welcome room", MaxRoomLen); err != nil {
		return err
	}
	if m.TickRate, err = r.uint16("welcome tick rate"); err != nil {
		return err
	}
	if m.SnapshotRate, err = r.uint16("welcome snapshot rate"); err != nil {
		return err
	}
	if m.ServerTick, err = r.uint32("welcome server tick"); err != nil {
		return err
	}
	if m.Token, err = r.str("welcome token", MaxTokenLen); err != nil {
		return err
	}
	if m.WorldW, err = r.uint16("welcome world width"); err != nil {
		return err
	}
	if m.WorldH, err = r.uint16("welcome world height"); err != nil {
		return err
	}
	if m.Resumed, err = r.bool("welcome resumed"); err != nil {
		return err
	}
	if err := r.end(); err != nil {
		return err
	}
	if err := validateWelcome(&m); err != nil {
		return err
	}
	*w = m
	return nil
}

// DecodePong decodes a Pong. On error *p is unchanged.
func DecodePong(data []byte, p *Pong) error {
	r := reader{b: data}
	if err := r.array("pong", pongLen); err != nil {
		return err
	}
	if err := r.kind(KindPong); err != nil {
		return err
	}
	m := Pong{Kind: KindPong}
	var err error
	if m.ClientTime, err = r.int64("pong client time"); err != nil {
		return err
	}
	if m.ServerTime, err = r.int64("pong server time"); err != nil {
		return err
	}
	if m.ServerTick, err = r.uint32("pong server tick"); err != nil {
		return err
	}
	if err := r.end(); err != nil {
		return err
	}
	*p = m
	return nil
}

// DecodeError decodes an Error. On error *e is unchanged.
func DecodeError(data []byte, e *Error) error {
	r := reader{b: data}
	if err := r.array("error", errorLen); err != nil {
		return err
	}
	if err := r.kind(KindError); err != nil {
		return err
	}
	m := Error{Kind: KindError}
	var err error
	if m.Code, err = r.uint16("error code"); err != nil {
		return err
	}
	if m.Text, err = r.str("error text", MaxErrorTextLen); err != nil {
		return err
	}
	if err := r.end(); err != nil {
		return err
	}
	*e = m
	return nil
}

// DecodeBoard decodes and validates a Board, reusing b.Entries' capacity. On
// error *b is unspecified.
func DecodeBoard(data []byte, b *Board) error {
	r := reader{b: data}
	if err := r.array("board", boardLen); err != nil {
		return err
	}
	if err := r.kind(KindBoard); err != nil {
		return err
	}
	players, err := r.uint16("board players")
	if err != nil {
		return err
	}
	// An entry takes at least 6 bytes: fixarray, id, empty name, score,
	// best, bot.
	n, err := r.arrayLen("board entries", MaxBoardEntries, 6)
	if err != nil {
		return err
	}
	entries := b.Entries[:0]
	for range n {
		var be BoardEntry
		if err := r.array("board entry", boardEntryLen); err != nil {
			return err
		}
		if be.ID, err = r.uint32("board entry id"); err != nil {
			return err
		}
		if be.Name, err = r.str("board entry name", MaxNameLen); err != nil {
			return err
		}
		if be.Score, err = r.uint32("board entry score"); err != nil {
			return err
		}
		if be.Best, err = r.uint32("board entry best"); err != nil {
			return err
		}
		if be.Bot, err = r.bool("board entry bot"); err != nil {
			return err
		}
		entries = append(entries, be)
	}
	if err := r.end(); err != nil {
		return err
	}
	*b = Board{Kind: KindBoard, Players: players, Entries: entries}
	return validateBoard(b)
}
