// Package ui holds the state of the client's few widgets, apart from how they
// are drawn: a single-line text field that takes typed characters, within a
// byte limit and a character filter.
//
// It is pure; the caller feeds it keys read from Ebiten.
package ui
