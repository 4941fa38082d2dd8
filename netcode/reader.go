package netcode

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"sync"

	"github.com/vmihailenco/msgpack/v5"
	"github.com/vmihailenco/msgpack/v5/msgpcode"
)

// wireReader reads one frame with msgpack.Decoder's primitives, strictly:
// every read first peeks the type code and rejects anything but the expected
// family, every length header is checked against its cap and against the bytes
// left in the frame before anything is read or allocated, and every integer is
// range-checked for its Go type (msgpack's DecodeUint8 and friends truncate).
// It never decodes into interface{} or reflect-built slices.
type wireReader struct {
	data []byte
	br   bytes.Reader
	dec  *msgpack.Decoder
}

// readers recycles wireReaders for the same reason as encoders.
var readers = sync.Pool{New: func() any {
	r := &wireReader{}
	// bytes.Reader is an io.ByteScanner, so the Decoder reads it directly
	// without a bufio layer: br.Len() is always the unread rest of the frame.
	r.dec = msgpack.NewDecoder(&r.br)
	return r
}}

func getReader(data []byte) *wireReader {
	r := readers.Get().(*wireReader)
	r.data = data
	r.br.Reset(data)
	return r
}

func (r *wireReader) release() {
	r.data = nil
	r.br.Reset(nil)
	readers.Put(r)
}

func malformed(what, format string, args ...any) error {
	return fmt.Errorf("%w: %s: "+format, append([]any{ErrMalformed, what}, args...)...)
}

func invalid(what, format string, args ...any) error {
	return fmt.Errorf("%w: %s: "+format, append([]any{ErrInvalidValue, what}, args...)...)
}

// peek returns the next type code without consuming it.
func (r *wireReader) peek(what string) (byte, error) {
	c, err := r.dec.PeekCode()
	if err != nil {
		return 0, malformed(what, "truncated")
	}
	return c, nil
}

// readErr wraps an error from a msgpack primitive. Codes are checked before
// each call, so what is left is running out of bytes.
func readErr(what string, err error) error {
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return malformed(what, "truncated")
	}
	return malformed(what, "%v", err)
}

// header reads an array header without judging its count.
func (r *wireReader) header(what string) (int, error) {
	c, err := r.peek(what)
	if err != nil {
		return 0, err
	}
	if !msgpcode.IsFixedArray(c) && c != msgpcode.Array16 && c != msgpcode.Array32 {
		return 0, malformed(what, "want an array, got code 0x%02x", c)
	}
	n, err := r.dec.DecodeArrayLen()
	if err != nil {
		return 0, readErr(what, err)
	}
	return n, nil
}

// arrayLen reads an array header and checks that its count is at most max and
// that the rest of the frame can hold that many elements of at least minElem
// bytes each, so that callers may size slices by it.
func (r *wireReader) arrayLen(what string, max, minElem int) (int, error) {
	n, err := r.header(what)
	if err != nil {
		return 0, err
	}
	if n > max {
		return 0, malformed(what, "%d elements, at most %d", n, max)
	}
	if n > r.br.Len()/minElem {
		return 0, malformed(what, "%d elements in %d bytes", n, r.br.Len())
	}
	return n, nil
}

// array reads an array header that must announce exactly n elements.
func (r *wireReader) array(what string, n int) error {
	got, err := r.header(what)
	if err != nil {
		return err
	}
	if got != n {
		return malformed(what, "%d elements, want %d", got, n)
	}
	return nil
}

func isIntCode(c byte) bool {
	return msgpcode.IsFixedNum(c) || (c >= msgpcode.Uint8 && c <= msgpcode.Int64)
}

// int reads any msgpack integer encoding and checks it is within [lo, hi].
func (r *wireReader) int(what string, lo, hi int64) (int64, error) {
	c, err := r.peek(what)
	if err != nil {
		return 0, err
	}
	if !isIntCode(c) {
		return 0, malformed(what, "want an integer, got code 0x%02x", c)
	}
	if c == msgpcode.Uint64 {
		u, err := r.dec.DecodeUint64()
		if err != nil {
			return 0, readErr(what, err)
		}
		if u > uint64(hi) {
			return 0, invalid(what, "%d out of range [%d, %d]", u, lo, hi)
		}
		return int64(u), nil
	}
	v, err := r.dec.DecodeInt64()
	if err != nil {
		return 0, readErr(what, err)
	}
	if v < lo || v > hi {
		return 0, invalid(what, "%d out of range [%d, %d]", v, lo, hi)
	}
	return v, nil
}

func (r *wireReader) uint8(what string) (uint8, error) {
	v, err := r.int(what, 0, math.MaxUint8)
	return uint8(v), err
}

func (r *wireReader) uint16(what string) (uint16, error) {
	v, err := r.int(what, 0, math.MaxUint16)
	return uint16(v), err
}

func (r *wireReader) uint32(what string) (uint32, error) {
	v, err := r.int(what, 0, math.MaxUint32)
	return uint32(v), err
}

func (r *wireReader) int16(what string) (int16, error) {
	v, err := r.int(what, math.MinInt16, math.MaxInt16)
	return int16(v), err
}

func (r *wireReader) int64(what string) (int64, error) {
	return r.int(what, math.MinInt64, math.MaxInt64)
}

// kind reads the leading kind of a message, which must be want.
func (r *wireReader) kind(want Kind) error {
	c, err := r.peek("kind")
	if err != nil {
		return err
	}
	if c > msgpcode.PosFixedNumHigh {
		return malformed("kind", "want a positive fixint, got code 0x%02x", c)
	}
	if Kind(c) != want {
		return fmt.Errorf("%w: %d where %d was expected", ErrUnknownKind, c, want)
	}
	_, err = r.br.ReadByte()
	return err
}

// float reads a float32 or float64. An integer is taken too: JavaScript
// encoders (@msgpack/msgpack) write any integral number, 0 included, as one.
// Strings, nil and the rest are malformed.
func (r *wireReader) float(what string) (float64, error) {
	c, err := r.peek(what)
	if err != nil {
		return 0, err
	}
	switch {
	case c == msgpcode.Float:
		v, err := r.dec.DecodeFloat32()
		if err != nil {
			return 0, readErr(what, err)
		}
		return float64(v), nil
	case c == msgpcode.Double:
		v, err := r.dec.DecodeFloat64()
		if err != nil {
			return 0, readErr(what, err)
		}
		return v, nil
	case isIntCode(c):
		v, err := r.int64(what)
		return float64(v), err
	}
	return 0, malformed(what, "want a number, got code 0x%02x", c)
}

func (r *wireReader) bool(what string) (bool, error) {
	c, err := r.peek(what)
	if err != nil {
		return false, err
	}
	if c != msgpcode.True && c != msgpcode.False {
		return false, malformed(what, "want a bool, got code 0x%02x", c)
	}
	v, err := r.dec.DecodeBool()
	if err != nil {
		return false, readErr(what, err)
	}
	return v, nil
}

// bytes reads a str of at most max bytes and returns a view into the frame,
// valid until the reader is released. The length header is checked against max
// and against the rest of the frame before anything is read, so a header that
// claims gigabytes costs nothing.
func (r *wireReader) bytes(what string, max int) ([]byte, error) {
	c, err := r.peek(what)
	if err != nil {
		return nil, err
	}
	if !msgpcode.IsString(c) {
		return nil, malformed(what, "want a string, got code 0x%02x", c)
	}
	n, err := r.dec.DecodeBytesLen()
	if err != nil {
		return nil, readErr(what, err)
	}
	if n > max {
		return nil, malformed(what, "%d bytes, at most %d", n, max)
	}
	if n > r.br.Len() {
		return nil, malformed(what, "truncated")
	}
	off := len(r.data) - r.br.Len()
	if _, err := r.br.Seek(int64(n), io.SeekCurrent); err != nil {
		return nil, readErr(what, err)
	}
	return r.data[off : off+n : off+n], nil
}

// str is bytes as a string; it allocates only for a non-empty string.
func (r *wireReader) str(what string, max int) (string, error) {
	b, err := r.bytes(what, max)
	return string(b), err
}

// end checks that the frame holds nothing after the message.
func (r *wireReader) end() error {
	if n := r.br.Len(); n > 0 {
		return malformed("frame", "%d trailing bytes", n)
	}
	return nil
}
