package admin

import (
	"context"
	"encoding/json"
	"strconv"

	"github.com/labstack/echo/v4"

	"storekeep/api/web"
	"storekeep/internal/platform/auth"
	"storekeep/internal/support/live"
)

// InboxSocketPolicy admits support staff, managers and admins; warehouse
// staff and API keys are refused (4403).
var InboxSocketPolicy = web.StaffSocket(auth.RoleSupport, auth.RoleManager)

// SupportInbox serves the agents' inbox socket (docs/support-realtime.md):
// every new conversation, message (internal notes included) and
// conversation change, live.
type SupportInbox struct {
	Hub     *live.Hub
	Sockets *web.Sockets
}

// RegisterSupportInbox adds the inbox socket to r (a HEAD, which cannot
// upgrade, gets the plain GET's 426).
func RegisterSupportInbox(r *web.Router, h SupportInbox) {
	r.GET("/v1/admin/support/ws", InboxSocketPolicy, h.inboxSocket)
}

// inboxSocket godoc
//
//	@Summary		The agents' live inbox (WebSocket)
//	@Description	Upgrades to a WebSocket carrying JSON text frames (docs/support-realtime.md). Authenticate with `Authorization: Bearer <staff token>` on the upgrade or, from a browser, with a first frame `{"type":"auth","token":"..."}` within 10 s; never a token in the URL. Roles: support, manager, admin.
//	@Description	Server frames: `{"type":"ready","last_seq":0}` once subscribed, then `{"type":"message","message":SupportMessage}` for every new message of any conversation (internal notes included), `{"type":"conversation","conversation":SupportConversation}` when one is created or changes (status, assignee, tags, unread), `{"type":"pong"}`, `{"type":"error","code","detail"}`.
//	@Description	Client frames: `{"type":"ping"}`. Read markers and replies go through the REST routes.
//	@Description	Close codes: 4401 unauthenticated, 4403 a role without support access, 4429 too many sockets for this staff user, 1013 the client read too slowly, 1001 the server shuts down.
//	@Tags			support
//	@ID				openSupportInboxSocket
//	@Produce		json
//	@Security		BearerAuth
//	@Success		101	"Switching Protocols: the socket is open"
//	@Failure		403	{object}	web.Problem	"origin_not_allowed: an Origin header outside the CORS list"
//	@Failure		426	{object}	web.Problem	"upgrade_required: a request without a WebSocket upgrade"
//	@Header			426	{string}	Upgrade	"websocket"
//	@Router			/v1/admin/support/ws [get]
func (h SupportInbox) inboxSocket(c echo.Context) error {
	sk, err := h.Sockets.Accept(c)
	if err != nil {
		return err
	}
	cred, ok := sk.Credential()
	if !ok {
		return nil
	}
	actor, ok := sk.Authorize(InboxSocketPolicy, cred)
	if !ok || !sk.Claim("staff:"+actor.ID) {
		return nil
	}
	sub, err := h.Hub.JoinInbox(sk.Context(), sk)
	if err != nil {
		sk.Close(web.CloseTryAgainLater, "not ready, try again")
		return nil
	}
	sk.Serve(func(_ context.Context, frame []byte) {
		var f live.ClientFrame
		switch err := json.Unmarshal(frame, &f); {
		case err != nil:
			sk.Send(web.ErrorFrameOf("bad_frame", "a frame is a JSON object with a type"))
		case f.Type == live.FramePing:
			sk.Send(live.PongFrame)
		default:
			sk.Send(web.ErrorFrameOf("bad_frame", "the inbox socket takes ping frames only; got "+strconv.Quote(f.Type)))
		}
	}, sub.Leave)
	return nil
}
