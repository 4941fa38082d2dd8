package assets

import (
	"image"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLoad(t *testing.T) {
	imgs, err := Load()
	require.NoError(t, err)
	for _, tc := range []struct {
		name string
		img  image.Image
		size image.Point
	}{
		{"ship", imgs.Ship, image.Pt(64, 64)},
		{"drone", imgs.Drone, image.Pt(48, 48)},
		{"pellet", imgs.Pellet, image.Pt(24, 24)},
		{"shot", imgs.Shot, image.Pt(32, 12)},
		{"glow", imgs.Glow, image.Pt(64, 64)},
		{"ring", imgs.Ring, image.Pt(128, 128)},
		{"dot", imgs.Dot, image.Pt(16, 16)},
		{"panel", imgs.Panel, image.Pt(32, 32)},
		{"icon", imgs.Icon, image.Pt(64, 64)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.NotNil(t, tc.img)
			assert.Equal(t, tc.size, tc.img.Bounds().Size())
			// Sprites are drawn in the middle: the corners stay transparent.
			_, _, _, a := tc.img.At(0, 0).RGBA()
			assert.Zero(t, a, "top-left pixel")
		})
	}
}
