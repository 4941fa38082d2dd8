package assets

import (
	"bytes"
	"embed"
	"fmt"
	"image"
	"image/png"
)

//go:generate go run ./gen -out .

//go:embed *.png
var files embed.FS

// Images are the decoded sprites. Ship, Pellet, Shot, Glow, Ring and Dot are
// white so that the client can tint them; Drone, Panel (a 9-slice box with
// 12-pixel corners) and Icon carry their own colors. Sprites face +X, the
// direction of aim angle 0.
type Images struct {
	Ship   image.Image
	Drone  image.Image
	Pellet image.Image
	Shot   image.Image
	Glow   image.Image
	Ring   image.Image
	Dot    image.Image
	Panel  image.Image
	Icon   image.Image
}

// Load decodes the embedded images.
func Load() (*Images, error) {
	var imgs Images
	for _, f := range []struct {
		name string
		dst  *image.Image
	}{
		{"ship.png", &imgs.Ship},
		{"drone.png", &imgs.Drone},
		{"pellet.png", &imgs.Pellet},
		{"shot.png", &imgs.Shot},
		{"glow.png", &imgs.Glow},
		{"ring.png", &imgs.Ring},
		{"dot.png", &imgs.Dot},
		{"panel.png", &imgs.Panel},
		{"icon.png", &imgs.Icon},
	} {
		img, err := decode(f.name)
		if err != nil {
			return nil, err
		}
		*f.dst = img
	}
	return &imgs, nil
}

func decode(name string) (image.Image, error) {
	data, err := files.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("assets: read %s: %w", name, err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("assets: decode %s: %w", name, err)
	}
	return img, nil
}
