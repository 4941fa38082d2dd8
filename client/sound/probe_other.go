//go:build !linux || android

package sound

// probeOutput trusts the platform: in the browser the page's AudioContext
// always exists (it starts suspended and Ebiten's backend resumes it on the
// first key, click or touch, as autoplay rules ask), and the desktop
// backends of Windows and macOS always have a device to open.
func probeOutput() error { return nil }
