//go:build !linux

package bot

import (
	"context"
	"net"
	"time"
)

// dialWS takes no URL off Linux: the raw writes and reads are Linux's, so
// elsewhere every bot dials through client/transport.
func dialWS(context.Context, string, *net.Dialer, time.Duration, events) (link, error) {
	return nil, errNotWS
}
