package app

import (
	"fmt"
	"image"
	"image/png"
	"os"

	"github.com/hajimehoshi/ebiten/v2"
)

// screenshot is the end-to-end test hook: after a number of frames in the
// game, it writes the screen to a PNG file, and Update then ends the game.
type screenshot struct {
	path   string
	frames int
	seen   int
	done   bool
	err    error
}

// count counts a frame drawn; ready says whether it shows the game, the
// only frames that count. It reports whether this frame is the one to write.
func (s *screenshot) count(ready bool) bool {
	if s.done || !ready {
		return false
	}
	s.seen++
	if s.seen < s.frames {
		return false
	}
	s.done = true
	return true
}

// write reads the finished screen back and writes it.
func (s *screenshot) write(screen *ebiten.Image) {
	b := screen.Bounds()
	img := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	screen.ReadPixels(img.Pix)
	s.err = writePNG(s.path, img)
}

func writePNG(path string, img image.Image) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("app: screenshot: %w", err)
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return fmt.Errorf("app: screenshot: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("app: screenshot: %w", err)
	}
	return nil
}
