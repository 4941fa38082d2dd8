package netcode

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/game"
)

// wireExamples are the worked examples of PROTOCOL.md. The test below holds
// the document to the encoder: each hex string must be what Append (or
// AppendDelta) writes, and must appear in PROTOCOL.md.
var wireExamples = []struct {
	name string
	msg  any
	hex  string
}{
	{"hello", Hello{Version: 2, Name: "ann", Room: "main"}, "96 01 02 a3 61 6e 6e a4 6d 61 69 6e a0 a0"},
	{"hello resume", Hello{Version: 2, Name: "ann", Token: "q9X2bT0vLw8"}, "96 01 02 a3 61 6e 6e a0 ab 71 39 58 32 62 54 30 76 4c 77 38 a0"},
	{"hello with a ticket", Hello{Version: 2, Name: "ann", Ticket: "tk.7Qe"}, "96 01 02 a3 61 6e 6e a0 a0 a6 74 6b 2e 37 51 65"},
	{"welcome", Welcome{PlayerID: 42, Room: "main", TickRate: 30, SnapshotRate: 30, ServerTick: 1200, Token: "q9X2bT0vLw8", WorldW: 4000, WorldH: 4000}, "9a 02 2a a4 6d 61 69 6e 1e 1e cd 04 b0 ab 71 39 58 32 62 54 30 76 4c 77 38 cd 0f a0 cd 0f a0 c2"},
	{"input", Input{Seq: 1, Move: game.MoveUp | game.MoveRight, Aim: -0.7853982, Buttons: game.ButtonFire, Ack: 1230, View: 544}, "97 03 01 09 ca bf 49 0f db 01 cd 04 ce cd 02 20"},
	{"ping", Ping{ClientTime: 5_000_000}, "92 05 ce 00 4c 4b 40"},
	{"pong", Pong{ClientTime: 5_000_000, ServerTime: 93_000_123, ServerTick: 2790}, "94 06 ce 00 4c 4b 40 ce 05 8b 11 bb cd 0a e6"},
	{"error", Error{Code: CloseProtocolError, Text: "protocol version 1 is not supported"}, "93 07 cd 03 ea d9 23 70 72 6f 74 6f 63 6f 6c 20 76 65 72 73 69 6f 6e 20 31 20 69 73 20 6e 6f 74 20 73 75 70 70 6f 72 74 65 64"},
	{"board", Board{Players: 3, Entries: []BoardEntry{{ID: 42, Name: "ann", Score: 120, Best: 150}, {ID: 7, Name: "Vega [bot]", Score: 75, Best: 75, Bot: true}}}, "93 08 03 92 95 2a a3 61 6e 6e 78 cc 96 c2 95 07 aa 56 65 67 61 20 5b 62 6f 74 5d 4b 4b c3"},
	{"full snapshot", Delta{Tick: 1230, Baseline: 0, LastSeq: 0, InputDelay: 0, Changes: []EntityDelta{
		{Mask: FieldKind | FieldX | FieldY | FieldAngle | FieldHP | FieldName,
			E: Entity{ID: 42, Kind: game.KindPlayer, X: 16008, Y: 32000, Angle: 57344, HP: 100, Name: "ann"}},
		{Mask: FieldKind | FieldX | FieldY | FieldHP,
			E: Entity{ID: 57, Kind: game.KindDrone, X: 3200, Y: 4800, HP: 30}},
		{Mask: FieldKind | FieldX | FieldY | FieldScore,
			E: Entity{ID: 88, Kind: game.KindPellet, X: 800, Y: 1600, Score: 1}},
	}}, "97 04 cd 04 ce 00 00 00 93 98 2a cd 04 67 01 cd 3e 88 cd 7d 00 cd e0 00 64 a3 61 6e 6e 96 39 47 02 cd 0c 80 cd 12 c0 1e 96 58 cc 87 04 cd 03 20 cd 06 40 01 90"},
	{"delta snapshot", Delta{Tick: 1231, Baseline: 1230, LastSeq: 1, InputDelay: 1, Changes: []EntityDelta{
		{Mask: FieldX | FieldY | FieldVX | FieldVY, E: Entity{ID: 42, X: 16031, Y: 31977, VX: 679, VY: -679}},
		{Mask: FieldKind | FieldX | FieldY | FieldOwner | FieldSeq,
			E: Entity{ID: 90, Kind: game.KindProjectile, X: 16642, Y: 31366, Owner: 42, Seq: 1}},
	}, Removed: []uint32{57}}, "97 04 cd 04 cf cd 04 ce 01 01 92 96 2a 1e cd 3e 9f cd 7c e9 cd 02 a7 d1 fd 59 97 5a cd 0a 07 03 cd 41 02 cd 7a 86 2a 01 91 39"},
}

func TestProtocolExamples(t *testing.T) {
	doc, err := os.ReadFile("../PROTOCOL.md")
	require.NoError(t, err)
	flat := strings.Join(strings.Fields(string(doc)), "")
	for _, ex := range wireExamples {
		t.Run(ex.name, func(t *testing.T) {
			b, err := Append(nil, ex.msg)
			require.NoError(t, err)
			got := wireSpacedHex(b)
			t.Logf("%s (%d bytes):\n%s", ex.name, len(b), got)
			assert.Equal(t, ex.hex, got, "the example's bytes")
			assert.Contains(t, flat, strings.ReplaceAll(got, " ", ""), "PROTOCOL.md shows these bytes")
			k, err := PeekKind(b)
			require.NoError(t, err)
			_, err = wireDecoders[k](b)
			require.NoError(t, err, "the example decodes")
		})
	}
}
