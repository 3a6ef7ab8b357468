package api

import (
	"storekeep/api/admin"
	"storekeep/api/store"
	"storekeep/api/web"
	"storekeep/internal/support"
	"storekeep/internal/support/live"
)

// registerSupportLive wires the support chat's real time: the hub that
// hears every change on every node (PostgreSQL LISTEN/NOTIFY, in process on
// SQLite) becomes svc's publisher, and the customer's conversation socket
// and the agents' inbox socket are registered. srv keeps the hub and the
// sockets so Close can end them.
func registerSupportLive(r *web.Router, opts Options, srv *Server, svc *support.Service) {
	hub := live.NewHub(opts.DB, svc, live.Options{Log: opts.Log, Bus: opts.LiveBus})
	svc.SetPublisher(hub)
	srv.Live = hub
	store.RegisterSupportSocket(r, store.SupportSocket{Svc: svc, Hub: hub, Sockets: srv.Sockets})
	admin.RegisterSupportInbox(r, admin.SupportInbox{Hub: hub, Sockets: srv.Sockets})
}
