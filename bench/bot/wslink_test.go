//go:build linux

package bot

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/client/transport"
)

// serverFrame is one unmasked server frame of opcode op.
func serverFrame(op byte, fin bool, payload []byte) []byte {
	b0 := op
	if fin {
		b0 |= 0x80
	}
	out := []byte{b0}
	switch n := len(payload); {
	case n <= 125:
		out = append(out, byte(n))
	case n <= 0xffff:
		out = binary.BigEndian.AppendUint16(append(out, 126), uint16(n))
	default:
		out = binary.BigEndian.AppendUint64(append(out, 127), uint64(n))
	}
	return append(out, payload...)
}

// sockPair is a loopback TCP connection: the bot's end as a sock, and the
// server's. The sock is in no poller; the test closes it.
func sockPair(t *testing.T) (*sock, net.Conn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	c, err := net.Dial("tcp", ln.Addr().String())
	require.NoError(t, err)
	peer, err := ln.Accept()
	require.NoError(t, err)
	s, err := takeSock(c.(*net.TCPConn))
	require.NoError(t, err)
	t.Cleanup(func() { s.closeFD(); _ = peer.Close() })
	return s, peer
}

func filled(n int, b byte) []byte { return bytes.Repeat([]byte{b}, n) }

// TestReadLoopSplitsAndJoinsFrames: whatever the reads cut the stream into,
// the bot gets each binary message whole and in order (small, 16-bit and
// 64-bit lengths, one bigger than the read buffer, one in fragments), text
// is dropped, and the server's close frame ends the loop with its code.
func TestReadLoopSplitsAndJoinsFrames(t *testing.T) {
	want := [][]byte{filled(20, 1), filled(300, 2), filled(0x10000+1, 3), append(filled(5, 4), filled(7, 5)...), filled(2200, 6)}
	var stream []byte
	stream = append(stream, serverFrame(opBinary, true, want[0])...)
	stream = append(stream, serverFrame(opText, true, []byte("dropped"))...)
	stream = append(stream, serverFrame(opBinary, true, want[1])...)
	stream = append(stream, serverFrame(opBinary, true, want[2])...)
	stream = append(stream, serverFrame(opBinary, false, want[3][:5])...)
	stream = append(stream, serverFrame(opContinuation, true, want[3][5:])...)
	stream = append(stream, serverFrame(opBinary, true, want[4])...)
	stream = append(stream, serverFrame(opClose, true, append([]byte{4008 >> 8, 4008 & 0xff}, "slow"...))...)

	for _, chunk := range []int{3, 7, 125, 1000, readSize - 1, readSize, readSize + 1, len(stream)} {
		t.Run(fmt.Sprintf("reads of %d", chunk), func(t *testing.T) {
			var got [][]byte
			sk, peer := sockPair(t)
			l := &wsLink{sock: sk, events: events{onMessage: func(msg []byte, _ time.Time) { got = append(got, bytes.Clone(msg)) }}}
			rest := stream
			// Each call is one wake-up: the socket holds the next chunk.
			var end error
			for end == nil || end == errWait {
				if len(rest) == 0 {
					break
				}
				avail := rest[:min(chunk, len(rest))]
				rest = rest[len(avail):]
				end = l.readable(func(p []byte) (int, error) {
					if len(avail) == 0 {
						return 0, syscall.EAGAIN
					}
					n := copy(p, avail)
					avail = avail[n:]
					return n, nil
				})
			}
			var ce *transport.CloseError
			require.ErrorAs(t, end, &ce, "the close frame ends the loop")
			assert.Equal(t, &transport.CloseError{Code: 4008, Reason: "slow"}, ce)
			require.Len(t, got, len(want))
			for i := range want {
				assert.Equal(t, want[i], got[i], "message %d", i)
			}
			// The answer: a masked close frame echoing the code.
			echo := make([]byte, 8)
			require.NoError(t, peer.SetReadDeadline(time.Now().Add(5*time.Second)))
			_, err := io.ReadFull(peer, echo)
			require.NoError(t, err)
			assert.Equal(t, []byte{0x88, 0x82}, echo[:2])
			for i := range 2 {
				echo[6+i] ^= echo[2+i]
			}
			assert.Equal(t, uint16(4008), binary.BigEndian.Uint16(echo[6:]))
		})
	}
}

func TestFrameHeadRefuses(t *testing.T) {
	tests := []struct {
		name  string
		frame []byte
		want  error
	}{
		{name: "masked server frame", frame: []byte{0x82, 0x81, 1, 2, 3, 4, 5}, want: errProtocol},
		{name: "reserved bit", frame: []byte{0xc2, 0x01, 0}, want: errProtocol},
		{name: "fragmented ping", frame: []byte{0x09, 0x00}, want: errProtocol},
		{name: "long close", frame: append([]byte{0x88, 126, 0, 200}, filled(200, 0)...), want: errProtocol},
		{name: "too large", frame: binary.BigEndian.AppendUint64([]byte{0x82, 127}, maxMessage+1), want: errTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := frameHead(tt.frame)
			assert.ErrorIs(t, err, tt.want)
		})
	}
}

// TestAppendFrameIsMasked: a client frame has the mask bit, the length in
// the form its size needs, and the payload XORed with the key it carries.
func TestAppendFrameIsMasked(t *testing.T) {
	for _, n := range []int{0, 20, 125, 126, 0xffff, 0x10000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			payload := filled(n, 0xa5)
			f := appendFrame(nil, opBinary, payload)
			require.Equal(t, byte(0x82), f[0], "final, binary")
			require.NotZero(t, f[1]&0x80, "masked")
			h := frameHeaderLen(n, true)
			require.Len(t, f, h+n)
			switch l7 := int(f[1] & 0x7f); {
			case n <= 125:
				assert.Equal(t, n, l7)
			case n <= 0xffff:
				assert.Equal(t, 126, l7)
				assert.Equal(t, n, int(binary.BigEndian.Uint16(f[2:])))
			default:
				assert.Equal(t, 127, l7)
				assert.Equal(t, uint64(n), binary.BigEndian.Uint64(f[2:]))
			}
			key := f[h-4 : h]
			got := bytes.Clone(f[h:])
			for i := range got {
				got[i] ^= key[i&3]
			}
			assert.Equal(t, payload, got)
		})
	}
}

// readClientFrame reads one masked client frame off r.
func readClientFrame(t *testing.T, r io.Reader) (op byte, payload []byte) {
	t.Helper()
	var h [14]byte
	_, err := io.ReadFull(r, h[:2])
	require.NoError(t, err)
	require.NotZero(t, h[1]&0x80, "client frames are masked")
	n := int(h[1] & 0x7f)
	switch n {
	case 126:
		_, err = io.ReadFull(r, h[2:4])
		n = int(binary.BigEndian.Uint16(h[2:4]))
	case 127:
		_, err = io.ReadFull(r, h[2:10])
		n = int(binary.BigEndian.Uint64(h[2:10]))
	}
	require.NoError(t, err)
	var key [4]byte
	_, err = io.ReadFull(r, key[:])
	require.NoError(t, err)
	payload = make([]byte, n)
	_, err = io.ReadFull(r, payload)
	require.NoError(t, err)
	for i := range payload {
		payload[i] ^= key[i&3]
	}
	return h[0] & 0x0f, payload
}

// TestWritesAFullSocketCannotTake: a server that stops reading fills the
// bot's socket; the write the socket cannot take (whole or in part) is
// finished by the poller once the socket can take more, while the bot waits
// (busy); pongs written meanwhile never land inside another frame, and once
// the server reads again everything arrives whole and in order.
func TestWritesAFullSocketCannotTake(t *testing.T) {
	p := testPoller(t)
	l, peer, ended := pollPair(t, p, events{
		onMessage:  func([]byte, time.Time) {},
		onWriteErr: func(err error) { t.Errorf("pending write: %v", err) },
	})
	require.NoError(t, syscall.SetsockoptInt(l.sock.fd, syscall.SOL_SOCKET, syscall.SO_SNDBUF, 4096))

	const pongs, msgs = 50, 60
	full := make(chan struct{}) // closed when the bot first waits on its socket
	type result struct{ msgs, pongs int }
	got := make(chan result, 1)
	go func() { // the server: reads nothing till the socket is full, then all
		<-full
		_ = peer.SetReadDeadline(time.Now().Add(10 * time.Second))
		var r result
		br := bufio.NewReader(peer)
		for r.msgs < msgs || r.pongs < pongs {
			op, p := readClientFrame(t, br)
			switch op {
			case opPong:
				assert.Equal(t, []byte("p"), p)
				r.pongs++
			case opBinary:
				assert.Equal(t, filled(10000, byte(r.msgs)), p, "message %d whole and in order", r.msgs)
				r.msgs++
			default:
				t.Errorf("opcode %d", op)
			}
		}
		got <- r
	}()

	var buf [16]byte
	sent, pongsSent, waited := 0, 0, false
	deadline := time.Now().Add(10 * time.Second)
	for sent < msgs {
		require.True(t, time.Now().Before(deadline), "the poller never finished the pending write")
		if pongsSent < pongs { // the read loop's answers to pings, between steps
			require.NoError(t, l.writeFrames(appendFrame(buf[:0], opPong, []byte("p"))))
			pongsSent++
		}
		if l.busy() { // the bot skips its step
			if !waited {
				waited = true
				close(full)
			}
			runtime.Gosched()
			continue
		}
		require.NoError(t, l.write(filled(10000, byte(sent)), nil))
		sent++
	}
	require.True(t, waited, "the socket never filled")
	for pongsSent < pongs {
		require.NoError(t, l.writeFrames(appendFrame(buf[:0], opPong, []byte("p"))))
		pongsSent++
	}
	assert.Equal(t, result{msgs: msgs, pongs: pongs}, <-got)
	require.Eventually(t, func() bool { return !l.busy() }, 5*time.Second, time.Millisecond)
	l.close()
	assert.ErrorIs(t, <-ended, transport.ErrClosed)
}
