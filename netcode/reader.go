package netcode

import (
	"encoding/binary"
	"fmt"
	"math"
)

// reader reads one frame of msgpack straight from its bytes: the mirror of
// the append functions of msgpack.go. It exists because decoding is a hot
// path on every client and bot (DecodeDelta was 70% of the bot swarm's CPU):
// msgpack.Decoder reads through an io.Reader, an interface call per byte, and
// reading the slice directly is several times faster. It is strict: every
// read checks the type code and rejects anything but the expected family,
// every length header is checked against its cap and against the bytes left
// in the frame before anything is sliced or allocated, and every integer is
// range-checked for its Go type. It never decodes into interface{} or
// reflect-built slices. Tests hold it to msgpack's own Decoder.
type reader struct {
	b   []byte
	off int
}

// More msgpack type codes (msgpack.go has the rest).
const (
	mpPosFixMax = 0x7f
	mpNegFixMin = 0xe0
	mpFloat64   = 0xcb
	mpFixStrMax = 0xbf
)

func malformed(what, format string, args ...any) error {
	return fmt.Errorf("%w: %s: "+format, append([]any{ErrMalformed, what}, args...)...)
}

func invalid(what, format string, args ...any) error {
	return fmt.Errorf("%w: %s: "+format, append([]any{ErrInvalidValue, what}, args...)...)
}

func truncated(what string) error { return malformed(what, "truncated") }

// left is the number of unread bytes.
func (r *reader) left() int { return len(r.b) - r.off }

// peek returns the next type code without consuming it.
func (r *reader) peek(what string) (byte, error) {
	if r.off >= len(r.b) {
		return 0, truncated(what)
	}
	return r.b[r.off], nil
}

// length reads the big-endian length of size bytes (1, 2 or 4) that follows
// a type code, and consumes code and length.
func (r *reader) length(what string, size int) (int, error) {
	if r.left() < 1+size {
		return 0, truncated(what)
	}
	p := r.b[r.off+1:]
	var n int
	switch size {
	case 1:
		n = int(p[0])
	case 2:
		n = int(binary.BigEndian.Uint16(p))
	default:
		n = int(binary.BigEndian.Uint32(p))
	}
	r.off += 1 + size
	return n, nil
}

// header reads an array header without judging its count.
func (r *reader) header(what string) (int, error) {
	c, err := r.peek(what)
	if err != nil {
		return 0, err
	}
	switch {
	case c&0xf0 == mpFixArray:
		r.off++
		return int(c & 0x0f), nil
	case c == mpArray16:
		return r.length(what, 2)
	case c == mpArray32:
		return r.length(what, 4)
	}
	return 0, malformed(what, "want an array, got code 0x%02x", c)
}

// arrayLen reads an array header and checks that its count is at most max and
// that the rest of the frame can hold that many elements of at least minElem
// bytes each, so that callers may size slices by it.
func (r *reader) arrayLen(what string, max, minElem int) (int, error) {
	n, err := r.header(what)
	if err != nil {
		return 0, err
	}
	if n > max {
		return 0, malformed(what, "%d elements, at most %d", n, max)
	}
	if n > r.left()/minElem {
		return 0, malformed(what, "%d elements in %d bytes", n, r.left())
	}
	return n, nil
}

// array reads an array header that must announce exactly n elements.
func (r *reader) array(what string, n int) error {
	got, err := r.header(what)
	if err != nil {
		return err
	}
	if got != n {
		return malformed(what, "%d elements, want %d", got, n)
	}
	return nil
}

// int reads any msgpack integer encoding and checks it is within [lo, hi].
// A fixint, what compact encoders write for most fields, takes the first
// branch and no further checks of the form.
func (r *reader) int(what string, lo, hi int64) (int64, error) {
	c, err := r.peek(what)
	if err != nil {
		return 0, err
	}
	var v int64
	size := 1
	switch {
	case c <= mpPosFixMax:
		v = int64(c)
	case c >= mpNegFixMin:
		v = int64(int8(c))
	case c >= mpUint8 && c <= mpInt64:
		// uint8..uint64 then int8..int64, each 1, 2, 4, 8 bytes wide.
		size += 1 << ((c - mpUint8) & 3)
		if r.left() < size {
			return 0, truncated(what)
		}
		p := r.b[r.off+1 : r.off+size]
		switch c {
		case mpUint8:
			v = int64(p[0])
		case mpUint16:
			v = int64(binary.BigEndian.Uint16(p))
		case mpUint32:
			v = int64(binary.BigEndian.Uint32(p))
		case mpUint64:
			u := binary.BigEndian.Uint64(p)
			if hi < 0 || u > uint64(hi) {
				return 0, invalid(what, "%d out of range [%d, %d]", u, lo, hi)
			}
			v = int64(u)
		case mpInt8:
			v = int64(int8(p[0]))
		case mpInt16:
			v = int64(int16(binary.BigEndian.Uint16(p)))
		case mpInt32:
			v = int64(int32(binary.BigEndian.Uint32(p)))
		default: // mpInt64
			v = int64(binary.BigEndian.Uint64(p))
		}
	default:
		return 0, malformed(what, "want an integer, got code 0x%02x", c)
	}
	if v < lo || v > hi {
		return 0, invalid(what, "%d out of range [%d, %d]", v, lo, hi)
	}
	r.off += size
	return v, nil
}

func (r *reader) uint8(what string) (uint8, error) {
	v, err := r.int(what, 0, math.MaxUint8)
	return uint8(v), err
}

func (r *reader) uint16(what string) (uint16, error) {
	v, err := r.int(what, 0, math.MaxUint16)
	return uint16(v), err
}

func (r *reader) uint32(what string) (uint32, error) {
	v, err := r.int(what, 0, math.MaxUint32)
	return uint32(v), err
}

func (r *reader) int16(what string) (int16, error) {
	v, err := r.int(what, math.MinInt16, math.MaxInt16)
	return int16(v), err
}

func (r *reader) int64(what string) (int64, error) {
	return r.int(what, math.MinInt64, math.MaxInt64)
}

// kind reads the leading kind of a message, which must be want.
func (r *reader) kind(want Kind) error {
	c, err := r.peek("kind")
	if err != nil {
		return err
	}
	if c > mpPosFixMax {
		return malformed("kind", "want a positive fixint, got code 0x%02x", c)
	}
	if Kind(c) != want {
		return fmt.Errorf("%w: %d where %d was expected", ErrUnknownKind, c, want)
	}
	r.off++
	return nil
}

// float reads a float32 or float64. An integer is taken too: JavaScript
// encoders (@msgpack/msgpack) write any integral number, 0 included, as one.
// Strings, nil and the rest are malformed.
func (r *reader) float(what string) (float64, error) {
	c, err := r.peek(what)
	if err != nil {
		return 0, err
	}
	switch {
	case c == mpFloat32:
		if r.left() < 5 {
			return 0, truncated(what)
		}
		v := math.Float32frombits(binary.BigEndian.Uint32(r.b[r.off+1:]))
		r.off += 5
		return float64(v), nil
	case c == mpFloat64:
		if r.left() < 9 {
			return 0, truncated(what)
		}
		v := math.Float64frombits(binary.BigEndian.Uint64(r.b[r.off+1:]))
		r.off += 9
		return v, nil
	case c <= mpPosFixMax || c >= mpNegFixMin || c >= mpUint8 && c <= mpInt64:
		v, err := r.int64(what)
		return float64(v), err
	}
	return 0, malformed(what, "want a number, got code 0x%02x", c)
}

func (r *reader) bool(what string) (bool, error) {
	c, err := r.peek(what)
	if err != nil {
		return false, err
	}
	if c != mpTrue && c != mpFalse {
		return false, malformed(what, "want a bool, got code 0x%02x", c)
	}
	r.off++
	return c == mpTrue, nil
}

// bytes reads a str of at most max bytes and returns a view into the frame.
// The length header is checked against max and against the rest of the frame
// before anything is sliced, so a header that claims gigabytes costs nothing.
func (r *reader) bytes(what string, max int) ([]byte, error) {
	c, err := r.peek(what)
	if err != nil {
		return nil, err
	}
	var n int
	switch {
	case c >= mpFixStr && c <= mpFixStrMax:
		n = int(c & 0x1f)
		r.off++
	case c == mpStr8:
		n, err = r.length(what, 1)
	case c == mpStr16:
		n, err = r.length(what, 2)
	case c == mpStr32:
		n, err = r.length(what, 4)
	default:
		return nil, malformed(what, "want a string, got code 0x%02x", c)
	}
	if err != nil {
		return nil, err
	}
	if n > max {
		return nil, malformed(what, "%d bytes, at most %d", n, max)
	}
	if n > r.left() {
		return nil, truncated(what)
	}
	b := r.b[r.off : r.off+n : r.off+n]
	r.off += n
	return b, nil
}

// str is bytes as a string; it allocates only for a non-empty string.
func (r *reader) str(what string, max int) (string, error) {
	b, err := r.bytes(what, max)
	return string(b), err
}

// end checks that the frame holds nothing after the message.
func (r *reader) end() error {
	if n := r.left(); n > 0 {
		return malformed("frame", "%d trailing bytes", n)
	}
	return nil
}
