package main

import (
	"fmt"

	"storekeep/api/web"
)

// loadSocketLimits reads STOREKEEP_SUPPORT_SOCKETS_PER_PRINCIPAL: how many
// support WebSockets one customer, guest conversation or staff user may
// hold open on one node (docs/support-realtime.md).
func (c *config) loadSocketLimits() error {
	n, err := envCount("STOREKEEP_SUPPORT_SOCKETS_PER_PRINCIPAL", web.DefaultSocketsPerPrincipal)
	if err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("STOREKEEP_SUPPORT_SOCKETS_PER_PRINCIPAL must be at least 1")
	}
	c.SocketsPerPrincipal = n
	return nil
}
