// Command gen draws Skirmish's sprites and window icon and writes them as PNG
// files. It runs from assets/ through go:generate; its output is committed so
// that building the game never needs it.
//
// Every shape is drawn from code (polygons and radial falloffs, antialiased by
// golang.org/x/image/vector), so the art is the project's own and the output is
// byte-for-byte reproducible.
package main

import (
	"flag"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
)

const defaultOutDir = "."

func main() {
	out := flag.String("out", defaultOutDir, "directory the PNG files are written to")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

// sprite is one generated file. The names are the ones package assets embeds.
type sprite struct {
	name string
	draw func() image.Image
}

func sprites() []sprite {
	return []sprite{
		{"ship.png", drawShip},
		{"drone.png", drawDrone},
		{"pellet.png", drawGlow(24, 0.30)},
		{"shot.png", drawShot},
		{"glow.png", drawGlow(64, 0.0)},
		{"icon.png", drawIcon},
		{"panel.png", drawPanel},
		{"ring.png", drawRing},
		{"dot.png", drawDot},
	}
}

func run(dir string) error {
	for _, s := range sprites() {
		if err := writePNG(filepath.Join(dir, s.name), s.draw()); err != nil {
			return err
		}
	}
	return nil
}

func writePNG(path string, img image.Image) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(f, img); err != nil {
		f.Close()
		return fmt.Errorf("encode %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("close %s: %w", path, err)
	}
	return nil
}
