package game

import "math"

// Add returns v+u.
func (v Vec) Add(u Vec) Vec { return Vec{v.X + u.X, v.Y + u.Y} }

// Sub returns v-u.
func (v Vec) Sub(u Vec) Vec { return Vec{v.X - u.X, v.Y - u.Y} }

// Scale returns v*k.
func (v Vec) Scale(k float64) Vec { return Vec{v.X * k, v.Y * k} }

// Dot returns the dot product of v and u.
func (v Vec) Dot(u Vec) float64 { return v.X*u.X + v.Y*u.Y }

// Len returns the length of v.
func (v Vec) Len() float64 { return math.Hypot(v.X, v.Y) }

// FromAngle returns the unit vector at angle a (radians, from +X towards +Y).
func FromAngle(a float64) Vec {
	s, c := math.Sincos(a)
	return Vec{c, s}
}

func clamp(x, lo, hi float64) float64 { return max(lo, min(x, hi)) }
