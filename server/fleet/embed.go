package fleet

import (
	"cmp"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// clusterName names the embedded nodes' cluster; nodes of another name do
// not route to them.
const clusterName = "skirmish"

// embedReady is how long an embedded node may take to start.
const embedReady = 5 * time.Second

// EmbedConfig is an embedded NATS node: a cluster port for the other
// nodes' routes, and a client port on loopback only (its own server talks
// to it in process; nats-server starts routing only once a client port is
// open).
type EmbedConfig struct {
	Name   string
	Listen string   // cluster listen address, host:port; port 0: any free one
	Routes []string // other nodes' cluster addresses, nats-route://host:port or host:port
	// ClientPort is the loopback client port; 0: any free one.
	ClientPort int
}

// StartEmbedded starts an embedded NATS node and waits until it is ready.
func StartEmbedded(c EmbedConfig) (*server.Server, error) {
	host, portStr, err := net.SplitHostPort(c.Listen)
	if err != nil {
		return nil, fmt.Errorf("fleet: nats listen %q: %w", c.Listen, err)
	}
	port, err := strconv.Atoi(portStr)
	if err != nil || port < 0 || port > 65535 {
		return nil, fmt.Errorf("fleet: nats listen %q: bad port", c.Listen)
	}
	if port == 0 {
		port = server.RANDOM_PORT
	}
	opts := &server.Options{
		ServerName: c.Name,
		Host:       "127.0.0.1",
		Port:       cmp.Or(c.ClientPort, server.RANDOM_PORT),
		NoSigs:     true,
		NoLog:      true,
		Cluster:    server.ClusterOpts{Name: clusterName, Host: host, Port: port},
	}
	if len(c.Routes) > 0 {
		urls := make([]string, len(c.Routes))
		for i, r := range c.Routes {
			if !strings.Contains(r, "://") {
				r = "nats-route://" + r
			}
			urls[i] = r
		}
		opts.Routes = server.RoutesFromStr(strings.Join(urls, ","))
	}
	s, err := server.NewServer(opts)
	if err != nil {
		return nil, fmt.Errorf("fleet: embedded nats: %w", err)
	}
	go s.Start()
	if !s.ReadyForConnections(embedReady) {
		s.Shutdown()
		return nil, fmt.Errorf("fleet: embedded nats not ready within %v", embedReady)
	}
	return s, nil
}
