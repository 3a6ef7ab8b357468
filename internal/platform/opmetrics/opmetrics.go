// Package opmetrics holds the operational metrics that domain code updates
// at the points where things happen (a checkout's outcome, a stock
// reservation's, a socket opening), and the collectors that read the
// database's state on scrape (connection pool, job queue). api registers
// them on the server's Prometheus registry; GET /metrics serves them
// (docs/metrics.md, "Operational metrics").
//
// The counters are process-wide, as Prometheus counters are: several
// servers in one process (tests) share them, so tests compare deltas.
package opmetrics

import (
	"errors"

	"github.com/prometheus/client_golang/prometheus"

	"storekeep/internal/platform/errs"
)

var (
	checkouts = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "storekeep_checkouts_total",
		Help: "Checkout attempts by outcome: placed, declined, insufficient_stock, invalid, conflict, rate_limited, not_found, error.",
	}, []string{"outcome"})
	reservations = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "storekeep_reservations_total",
		Help: "Stock reservation operations (reserve, release, commit) by outcome: ok, insufficient_stock, invalid, conflict, not_found, error.",
	}, []string{"operation", "outcome"})
	// OpenSockets is the number of WebSockets open now: the socket registry
	// increments it when it registers a socket and decrements it when it
	// releases one.
	OpenSockets = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "storekeep_websockets_open", Help: "WebSocket connections open now.",
	})
)

// Collectors are the process-wide metrics, for registration.
func Collectors() []prometheus.Collector {
	return []prometheus.Collector{checkouts, reservations, OpenSockets}
}

// Checkout counts one checkout attempt that ended with err (nil: an order
// was placed).
func Checkout(err error) {
	outcome := "placed"
	if err != nil {
		outcome = Outcome(err)
	}
	checkouts.WithLabelValues(outcome).Inc()
}

// Reservation counts one reservation operation (reserve, release, commit)
// that ended with err.
func Reservation(operation string, err error) {
	outcome := "ok"
	if err != nil {
		outcome = Outcome(err)
	}
	reservations.WithLabelValues(operation, outcome).Inc()
}

// Outcome names a failure by a small fixed set of values (labels must not
// grow with error messages): the domain codes that matter to operations,
// else the error's kind.
func Outcome(err error) string {
	var ra interface{ RequiresAction() bool }
	if errors.As(err, &ra) && ra.RequiresAction() {
		return "requires_action" // not a failure: the shopper must act
	}
	e, ok := errs.As(err)
	if !ok {
		return "error"
	}
	switch e.Code {
	case "payment_declined", "insufficient_stock":
		return e.Code
	}
	switch e.Kind {
	case errs.Invalid, errs.Unprocessable:
		return "invalid"
	case errs.Conflict:
		return "conflict"
	case errs.TooMany:
		return "rate_limited"
	case errs.NotFound:
		return "not_found"
	case errs.PaymentFailed:
		return "declined"
	}
	return "error"
}
