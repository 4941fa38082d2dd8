package netcode

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/game"
)

// moveRow is one row of PROTOCOL.md's table 7.3: the input of a tick and the
// player's wire state after it.
type moveRow struct {
	tick   int
	move   uint8
	aim    float32
	x, y   uint16
	vx, vy int16
	angle  uint16
	text   string // the row as written, for failure messages
}

var (
	moveBitsCell = regexp.MustCompile("^`0x([0-9a-f]{2})` (.+)$")
	wireCell     = regexp.MustCompile(`^(-?\d+) \((-?\d+(?:\.\d+)?)\)$`)
)

// moveLabel is how table 7.3 names a Move mask.
func moveLabel(m uint8) string {
	var parts []string
	for _, b := range []struct {
		bit  uint8
		name string
	}{{game.MoveUp, "up"}, {game.MoveDown, "down"}, {game.MoveLeft, "left"}, {game.MoveRight, "right"}} {
		if m&b.bit != 0 {
			parts = append(parts, b.name)
		}
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, "+")
}

// wireValue parses "63552 (3972)": the wire integer, which must be 16 times
// the world-unit value in brackets.
func wireValue(t *testing.T, cell string) int64 {
	t.Helper()
	m := wireCell.FindStringSubmatch(cell)
	require.NotNil(t, m, "cell %q is not `wire (world)`", cell)
	q, err := strconv.ParseInt(m[1], 10, 32)
	require.NoError(t, err)
	v, err := strconv.ParseFloat(m[2], 64)
	require.NoError(t, err)
	assert.Equal(t, v, float64(q)/16, "cell %q: the wire value is 16 × the world value", cell)
	return q
}

// movementTable reads table 7.3 of PROTOCOL.md.
func movementTable(t *testing.T) []moveRow {
	t.Helper()
	doc, err := os.ReadFile("../PROTOCOL.md")
	require.NoError(t, err)
	text := string(doc)
	start := strings.Index(text, "### 7.3 ")
	require.GreaterOrEqual(t, start, 0, "PROTOCOL.md has section 7.3")
	var lines []string
	for _, l := range strings.Split(text[start:], "\n") {
		if strings.HasPrefix(l, "|") {
			lines = append(lines, l)
		} else if len(lines) > 0 {
			break
		}
	}
	require.Greater(t, len(lines), 2, "section 7.3 has a table")
	require.Equal(t, "| tick | Move | Aim | X | Y | VX | VY | Angle |", lines[0], "the table's columns")
	var rows []moveRow
	for i, l := range lines[2:] {
		c := strings.Split(l, "|")
		require.Len(t, c, 10, "row %q has 8 cells", l)
		for j := range c {
			c[j] = strings.TrimSpace(c[j])
		}
		r := moveRow{text: l}
		r.tick, err = strconv.Atoi(c[1])
		require.NoError(t, err)
		require.Equal(t, i, r.tick, "rows are ticks 0, 1, 2, ...")
		if r.tick > 0 {
			m := moveBitsCell.FindStringSubmatch(c[2])
			require.NotNil(t, m, "move cell %q", c[2])
			bits, err := strconv.ParseUint(m[1], 16, 8)
			require.NoError(t, err)
			r.move = uint8(bits)
			assert.Equal(t, moveLabel(r.move), m[2], "row %d names its move bits", r.tick)
			aim, err := strconv.ParseFloat(c[3], 32)
			require.NoError(t, err)
			r.aim = float32(aim)
		}
		r.x = uint16(wireValue(t, c[4]))
		r.y = uint16(wireValue(t, c[5]))
		r.vx = int16(wireValue(t, c[6]))
		r.vy = int16(wireValue(t, c[7]))
		angle, err := strconv.ParseUint(c[8], 10, 16)
		require.NoError(t, err)
		r.angle = uint16(angle)
		rows = append(rows, r)
	}
	return rows
}

// wireRoundTrip sends in as a client would and returns what the server's
// World gets from it (as server/engine's worldSim converts it).
func wireRoundTrip(t *testing.T, in Input) game.Input {
	t.Helper()
	b, err := Append(nil, &in)
	require.NoError(t, err)
	var got Input
	require.NoError(t, DecodeInput(b, &got))
	return got.GameInput(got.Ack + 1)
}

// quietWorld is the default arena with nothing in it but one player, set to
// the state of e.
func quietWorld(t *testing.T, e Entity) (*game.World, game.EntityID) {
	t.Helper()
	cfg := game.DefaultConfig()
	cfg.Drones, cfg.Pellets = 0, 0
	w := game.NewWorld(cfg)
	id := w.AddPlayer(e.Name)
	p, ok := w.Player(id)
	require.True(t, ok)
	from := PlayerFromEntity(e)
	p.Pos, p.Vel, p.Aim, p.Respawn = from.Pos, from.Vel, from.Aim, from.Respawn
	return w, id
}

func assertWireState(t *testing.T, r moveRow, got Entity, who string) {
	t.Helper()
	want := [5]int64{int64(r.x), int64(r.y), int64(r.vx), int64(r.vy), int64(r.angle)}
	have := [5]int64{int64(got.X), int64(got.Y), int64(got.VX), int64(got.VY), int64(got.Angle)}
	assert.Equal(t, want, have, "%s, tick %d (X Y VX VY Angle): %s", who, r.tick, r.text)
}

// TestProtocolMovementExample holds PROTOCOL.md's table 7.3 to the server's
// World.Step and to the client's Predictor, over the table's own inputs.
func TestProtocolMovementExample(t *testing.T) {
	rows := movementTable(t)
	require.GreaterOrEqual(t, len(rows), 5, "a start and at least four ticks")
	start := Entity{ID: 1, Kind: game.KindPlayer, X: rows[0].x, Y: rows[0].y, VX: rows[0].vx, VY: rows[0].vy,
		Angle: rows[0].angle, HP: game.MaxHP, Name: "ann"}

	t.Run("server", func(t *testing.T) {
		w, id := quietWorld(t, start)
		require.Equal(t, 1.0/30, w.Dt(), "the table is at 30 ticks a second")
		require.Equal(t, game.Vec{X: 4000, Y: 4000}, w.Size(), "in the 4000 × 4000 world")
		for i, r := range rows[1:] {
			in := wireRoundTrip(t, Input{Seq: uint32(i + 1), Move: r.move, Aim: r.aim})
			w.Step([]game.PlayerInput{{ID: id, Input: in}})
			ents := CaptureWorld(nil, w)
			require.Len(t, ents, 1)
			assertWireState(t, r, ents[0], "World.Step")
		}
	})

	t.Run("predictor", func(t *testing.T) {
		p := NewPredictor(1.0/30, game.Vec{X: 4000, Y: 4000})
		require.True(t, p.Reconcile(start, 0))
		for i, r := range rows[1:] {
			p.Predict(uint32(i+1), game.Input{Move: r.move, Aim: float64(r.aim)})
			pl := p.Player()
			assertWireState(t, r, playerEntity(&pl), "Predictor")
		}
	})
}

// TestProtocolDeltaExampleIsComputed checks that the second snapshot of
// PROTOCOL.md 5.4 is what the server computes: from the player of the full
// snapshot, the input of section 4.3 gives the player and the shot of the
// delta.
func TestProtocolDeltaExampleIsComputed(t *testing.T) {
	example := func(name string) any {
		for _, ex := range wireExamples {
			if ex.name == name {
				return ex.msg
			}
		}
		require.FailNow(t, "no wire example "+name)
		return nil
	}
	full := example("full snapshot").(Delta)
	input := example("input").(Input)
	delta := example("delta snapshot").(Delta)
	require.Equal(t, full.Tick, input.Ack, "the input acknowledges the full snapshot")
	require.Equal(t, input.Seq, delta.LastSeq, "the delta has applied that input")
	require.Len(t, delta.Changes, 2, "the delta's player and shot")
	before, wantPlayer, wantShot := full.Changes[0].E, delta.Changes[0], delta.Changes[1]
	require.Equal(t, before.ID, wantPlayer.E.ID)

	w, id := quietWorld(t, before)
	w.Step([]game.PlayerInput{{ID: id, Input: wireRoundTrip(t, input)}})
	ents := CaptureWorld(nil, w)
	require.Len(t, ents, 2, "the player and its shot")
	player, shot := ents[0], ents[1]
	require.Equal(t, game.KindPlayer, player.Kind)
	require.Equal(t, game.KindProjectile, shot.Kind)

	// Name the world's entities as the example does.
	player.ID, shot.ID = before.ID, wantShot.E.ID
	require.Equal(t, uint32(id), shot.Owner)
	shot.Owner = before.ID
	// Another client's entity reaches the receiver without its velocity.
	shot.VX, shot.VY = 0, 0

	assert.Equal(t, wantPlayer.Mask, ChangedFields(&before, &player), "the player's changed fields")
	assert.Equal(t, wantPlayer.E, maskedEntity(player, wantPlayer.Mask), "the player's new values")
	assert.Equal(t, wantShot.Mask, CreateMask(&shot), "the shot's fields")
	assert.Equal(t, wantShot.E, maskedEntity(shot, wantShot.Mask), "the shot's values")
}

// maskedEntity keeps the ID and the fields of e that mask names, as a
// decoded change holds them. It walks the field table, as every test
// reference does, so it holds no list of its own.
func maskedEntity(e Entity, mask uint16) Entity {
	out := Entity{ID: e.ID}
	for i := range entityFields {
		if mask&(1<<i) != 0 {
			wireField(&out, i).Set(wireField(&e, i))
		}
	}
	return out
}

// docPlayer is a player's state as PROTOCOL.md 7.2 keeps it.
type docPlayer struct {
	x, y, vx, vy float64
	angle        uint16
	timer        int
	score        int
}

// docTwoPi is 2π as the double 7.2 names.
const docTwoPi = 6.283185307179586

// docMove is PROTOCOL.md 7.2 transcribed step by step, with the numbers
// written there rather than Go's constants, as a client in another language
// would write it. Products that are then added are wrapped in float64() so
// that no compiler fuses them (7.2: no fused multiply-add).
func docMove(p docPlayer, move uint8, aim float32, tickRate int, worldW, worldH float64) docPlayer {
	dt := 1 / float64(tickRate)
	// 1. Aim.
	a := float64(aim)
	if a < -docTwoPi || a >= docTwoPi {
		a = math.Mod(a, docTwoPi)
	}
	if a < 0 {
		a = a + docTwoPi
	}
	p.angle = uint16(int64(math.Round(a*10430.378350470453)) % 65536)
	// 2. Dead?
	if p.timer > 0 {
		return p
	}
	// 3. Wanted velocity.
	var dx, dy float64
	if move&0x08 != 0 {
		dx++
	}
	if move&0x04 != 0 {
		dx--
	}
	if move&0x02 != 0 {
		dy++
	}
	if move&0x01 != 0 {
		dy--
	}
	s := docTopSpeed(p.score)
	k := s
	if dx != 0 && dy != 0 {
		k = s * math.Sqrt2 / 2
	}
	tx, ty := dx*k, dy*k
	// 4. Rate.
	step := 1200 * dt
	if tx != 0 || ty != 0 {
		step = 1800 * dt
	}
	// 5. Approach.
	ex, ey := tx-p.vx, ty-p.vy
	d2 := float64(ex*ex) + float64(ey*ey)
	if d2 <= float64(step*step) {
		p.vx, p.vy = tx, ty
	} else {
		f := step / math.Sqrt(d2)
		p.vx, p.vy = p.vx+float64(ex*f), p.vy+float64(ey*f)
	}
	// 6. Snap the velocity.
	p.vx, p.vy = math.Round(p.vx*16)/16, math.Round(p.vy*16)/16
	// 7. Move and clamp, x then y.
	p.x, p.vx = docAxis(p.x, p.vx, dt, worldW)
	p.y, p.vy = docAxis(p.y, p.vy, dt, worldH)
	return p
}

// docTopSpeed is 7.5's top speed for a score: 300, and 320 from level 3.
func docTopSpeed(score int) float64 {
	level := 1
	for level < 10 && score >= 50*level*(level+3) {
		level++
	}
	if level >= 3 {
		return 320
	}
	return 300
}

func docAxis(pos, vel, dt, size float64) (float64, float64) {
	lo, hi := math.Ceil(20*16)/16, math.Floor((size-20)*16)/16
	pos = math.Round((pos+float64(vel*dt))*16) / 16
	if pos < lo {
		pos, vel = lo, max(vel, 0)
	}
	if pos > hi {
		pos, vel = hi, min(vel, 0)
	}
	return pos, vel
}

// TestProtocolMovementModelAsWritten runs PROTOCOL.md 7.2 as written beside
// game.MovePlayer over random inputs, from random states on the grid, at
// several tick rates and world sizes, and wants the same numbers every tick.
func TestProtocolMovementModelAsWritten(t *testing.T) {
	tests := []struct {
		name     string
		tickRate int
		w, h     float64
	}{
		{"default", 30, 4000, 4000},
		{"slow ticks", 10, 4000, 4000},
		{"fast ticks, small world", 64, 800, 500},
		{"fastest ticks, narrow world", 128, 4000, 200},
	}
	const ticks = 20_000
	halves := 0
	for ti, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(uint64(ti), 7))
			grid := func(lo, hi float64) float64 { return math.Round((lo+r.Float64()*(hi-lo))*16) / 16 }
			var doc docPlayer
			for i := range ticks {
				if i%200 == 0 { // a fresh state now and then: anywhere, moving anyhow
					doc = docPlayer{x: grid(20, tt.w-20), y: grid(20, tt.h-20), vx: grid(-320, 320), vy: grid(-320, 320)}
				}
				doc.timer = 0
				if r.IntN(50) == 0 {
					doc.timer = 1 + r.IntN(90)
				}
				if i%200 == 0 {
					doc.score = randomScore(r)
				}
				move := uint8(r.IntN(16))
				aim := float32((2*r.Float64() - 1) * float64(MaxAim))
				switch r.IntN(20) {
				case 0:
					aim = MaxAim
				case 1:
					aim = -MaxAim
				}
				pl := game.Player{Pos: game.Vec{X: doc.x, Y: doc.y}, Vel: game.Vec{X: doc.vx, Y: doc.vy}, Respawn: doc.timer, Score: doc.score}
				game.MovePlayer(&pl, game.Input{Move: move, Aim: float64(aim)}, 1/float64(tt.tickRate), game.Vec{X: tt.w, Y: tt.h})
				prev := doc
				doc = docMove(doc, move, aim, tt.tickRate, tt.w, tt.h)
				if h := (prev.x + float64(doc.vx/float64(tt.tickRate))) * 16; h-math.Floor(h) == 0.5 {
					halves++
				}
				want := [4]float64{pl.Pos.X, pl.Pos.Y, pl.Vel.X, pl.Vel.Y}
				got := [4]float64{doc.x, doc.y, doc.vx, doc.vy}
				if !assert.Equal(t, want, got, "tick %d from %+v, move %#02x, aim %v: x y vx vy", i, prev, move, aim) ||
					!assert.Equal(t, game.QuantizeAngle(pl.Aim), doc.angle, "tick %d: angle of aim %v", i, aim) ||
					!assert.Equal(t, pl.Aim, float64(doc.angle)*(docTwoPi/65536), "tick %d: the aim is the angle's", i) {
					return
				}
			}
		})
	}
	t.Logf("%d ticks rounded a position half", halves)
}

// jsCase is one tick for the JavaScript of PROTOCOL.md section 10: the state
// and input it starts from, and what game.MovePlayer made of them.
type jsCase struct {
	X, Y, VX, VY float64
	Timer        int
	Score        int
	Move         uint8
	Aim          float64 // as a JavaScript client holds it: a float64
	Dt, W, H     float64
	Want         [5]float64 // x, y, vx, vy, angle
}

// TestProtocolJavaScriptPredictor runs the movePlayer of PROTOCOL.md
// section 10 in Node.js beside game.MovePlayer: table 7.3, then random ticks.
// It is skipped where node is not installed.
func TestProtocolJavaScriptPredictor(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed")
	}
	doc, err := os.ReadFile("../PROTOCOL.md")
	require.NoError(t, err)
	text := string(doc)
	at := strings.Index(text, "Prediction is section 7.2 line by line.")
	require.GreaterOrEqual(t, at, 0, "PROTOCOL.md 10 has the JavaScript predictor")
	start := strings.Index(text[at:], "```js\n")
	require.GreaterOrEqual(t, start, 0)
	code := text[at+start+len("```js\n"):]
	end := strings.Index(code, "```")
	require.GreaterOrEqual(t, end, 0)
	code = code[:end]

	var cases []jsCase
	add := func(p game.Player, in game.Input, jsAim, dt float64, size game.Vec) game.Player {
		c := jsCase{X: p.Pos.X, Y: p.Pos.Y, VX: p.Vel.X, VY: p.Vel.Y, Timer: p.Respawn, Score: p.Score, Move: in.Move, Aim: jsAim, Dt: dt, W: size.X, H: size.Y}
		game.MovePlayer(&p, in, dt, size)
		c.Want = [5]float64{p.Pos.X, p.Pos.Y, p.Vel.X, p.Vel.Y, float64(game.QuantizeAngle(p.Aim))}
		cases = append(cases, c)
		return p
	}
	rows := movementTable(t)
	size := game.Vec{X: 4000, Y: 4000}
	p := PlayerFromEntity(Entity{X: rows[0].x, Y: rows[0].y, VX: rows[0].vx, VY: rows[0].vy})
	for _, r := range rows[1:] {
		// The table's aims as a JavaScript client writes them: 0.7853982,
		// not the float32 nearest it.
		aim, err := strconv.ParseFloat(strconv.FormatFloat(float64(r.aim), 'g', -1, 32), 64)
		require.NoError(t, err)
		p = add(p, game.Input{Move: r.move, Aim: float64(r.aim)}, aim, 1.0/30, size)
	}
	r := rand.New(rand.NewPCG(3, 7))
	for _, tt := range []struct {
		tickRate int
		size     game.Vec
	}{{30, game.Vec{X: 4000, Y: 4000}}, {64, game.Vec{X: 800, Y: 500}}} {
		for i := range 2000 {
			if i%200 == 0 {
				p = game.Player{
					Pos:   game.Vec{X: math.Round(20*16+r.Float64()*(tt.size.X-40)*16) / 16, Y: math.Round(20*16+r.Float64()*(tt.size.Y-40)*16) / 16},
					Vel:   game.Vec{X: math.Round((r.Float64()*640-320)*16) / 16, Y: math.Round((r.Float64()*640-320)*16) / 16},
					Score: randomScore(r),
				}
			}
			jsAim := (2*r.Float64() - 1) * float64(MaxAim)
			if float32(jsAim) < -MaxAim || float32(jsAim) > MaxAim {
				jsAim = 0
			}
			in := game.Input{Move: uint8(r.IntN(16)), Aim: float64(float32(jsAim))}
			p = add(p, in, jsAim, 1/float64(tt.tickRate), tt.size)
		}
	}

	in, err := json.Marshal(cases)
	require.NoError(t, err)
	script := code + `
let input = "";
process.stdin.on("data", (d) => (input += d));
process.stdin.on("end", () => {
  const out = JSON.parse(input).map((c) => {
    const p = { x: c.X, y: c.Y, vx: c.VX, vy: c.VY, angle: 0, timer: c.Timer, score: c.Score };
    movePlayer(p, c.Move, c.Aim, c.Dt, c.W, c.H);
    return [p.x, p.y, p.vx, p.vy, p.angle];
  });
  process.stdout.write(JSON.stringify(out));
});
`
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "-e", script)
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	outJSON, err := cmd.Output()
	require.NoError(t, err, "node: %s", stderr.String())
	var got [][5]float64
	require.NoError(t, json.Unmarshal(outJSON, &got))
	require.Len(t, got, len(cases))
	for i, c := range cases {
		if !assert.Equal(t, c.Want, got[i], "case %d: %+v", i, c) {
			return
		}
	}
}

// randomScore is a score for a random state: none, just short of or just at
// a level that raises the top speed (7.5), or anything up to past the top.
func randomScore(r *rand.Rand) int {
	switch r.IntN(4) {
	case 0:
		return 0
	case 1:
		return game.LevelScore(3) - 1
	case 2:
		return game.LevelScore(3)
	}
	return r.IntN(2 * game.LevelScore(game.MaxLevel))
}
