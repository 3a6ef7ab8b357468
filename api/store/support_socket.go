package store

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"

	"github.com/labstack/echo/v4"

	"storekeep/api/web"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/errs"
	"storekeep/internal/support"
	"storekeep/internal/support/live"
)

// SupportSocket serves a conversation's WebSocket on the customer side
// (docs/support-realtime.md): live messages both ways, resumable from a
// seq cursor.
type SupportSocket struct {
	Svc     *support.Service
	Hub     *live.Hub
	Sockets *web.Sockets
}

// RegisterSupportSocket adds the customer's conversation socket to r. It is
// a HEAD, which cannot upgrade, gets the plain GET's 426.
func RegisterSupportSocket(r *web.Router, h SupportSocket) {
	r.GET("/v1/store/support/conversations/:id/ws", web.StoreSocket, h.conversationSocket)
}

// conversationSocket godoc
//
//	@Summary		A conversation's live socket (WebSocket)
//	@Description	Upgrades to a WebSocket carrying JSON text frames (docs/support-realtime.md). Authenticate with `Authorization: Bearer <customer token>` or `X-Conversation-Token: <guest token>` on the upgrade, or, from a browser, with a first frame `{"type":"auth","token":"..."}` within 10 s; never a token in the URL.
//	@Description	Server frames: `{"type":"message","message":SupportMessage}` (never internal notes), `{"type":"conversation","conversation":SupportConversation}`, `{"type":"ready","last_seq":N}` after the replay, `{"type":"pong"}`, `{"type":"error","code","detail"}` (a refused client frame; the socket stays open).
//	@Description	Client frames: `{"type":"message","body":"..."}` (the REST POST's rules), `{"type":"read","seq":N}`, `{"type":"ping"}`.
//	@Description	With `?after=N` every message after seq N is sent first, then ready, then live frames: nothing missed, nothing twice.
//	@Description	Close codes: 4401 unauthenticated, 4404 no such conversation (or not yours), 4429 too many sockets for this principal, 1013 the client read too slowly, 1001 the server shuts down.
//	@Tags			support
//	@ID				openSupportConversationSocket
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path	string	true	"conversation id"
//	@Param			after	query	integer	false	"resume after this message seq"	minimum(0)
//	@Success		101		"Switching Protocols: the socket is open"
//	@Failure		403		{object}	web.Problem	"origin_not_allowed: an Origin header outside the CORS list"
//	@Failure		422		{object}	web.Problem	"validation_failed: after is not a seq"
//	@Failure		426		{object}	web.Problem	"upgrade_required: a request without a WebSocket upgrade"
//	@Header			426	{string}	Upgrade	"websocket"
//	@Router			/v1/store/support/conversations/{id}/ws [get]
func (h SupportSocket) conversationSocket(c echo.Context) error {
	after, err := afterParam(c)
	if err != nil {
		return err
	}
	ip := c.RealIP()
	sk, err := h.Sockets.Accept(c)
	if err != nil {
		return err
	}
	cred, ok := sk.Credential()
	if !ok {
		return nil
	}
	access := support.Access{Token: cred}
	if web.LooksLikeJWT(cred) {
		actor, ok := sk.Authorize(web.StoreSocket, cred)
		if !ok {
			return nil
		}
		if actor.Kind != auth.Customer {
			sk.Close(web.CloseForbidden, "customer tokens only")
			return nil
		}
		access = support.Access{CustomerID: actor.ID}
	}
	ctx := sk.Context()
	conv, err := h.Svc.Conversation(ctx, access, c.Param("id"))
	if err != nil {
		closeFor(sk, err)
		return nil
	}
	principal := "guest:" + conv.ID
	if access.CustomerID != "" {
		principal = "customer:" + access.CustomerID
	}
	if !sk.Claim(principal) {
		return nil
	}
	// The writer runs from here on (the replay is written as it is read);
	// the handler returns once the socket is live, and the connection
	// lives on with its reader goroutine.
	sub, err := h.Hub.JoinConversation(ctx, conv, after, sk)
	if err != nil {
		sk.Close(web.CloseTryAgainLater, "not ready, try again")
		return nil
	}
	sk.Serve(func(ctx context.Context, frame []byte) {
		h.onFrame(ctx, sk, access, conv.ID, ip, frame)
	}, sub.Leave)
	return nil
}

// onFrame answers one client frame. The customer's own message comes back
// through the hub like everyone else's, so it is not echoed here.
func (h SupportSocket) onFrame(ctx context.Context, sk *web.Socket, a support.Access, convID, ip string, frame []byte) {
	var f live.ClientFrame
	if err := json.Unmarshal(frame, &f); err != nil {
		sk.Send(web.ErrorFrameOf("bad_frame", "a frame is a JSON object with a type"))
		return
	}
	var err error
	switch f.Type {
	case live.FramePing:
		sk.Send(live.PongFrame)
		return
	case live.FrameMessage:
		_, err = h.Svc.PostCustomer(ctx, a, convID, f.Body, ip)
	case live.FrameRead:
		err = h.Svc.MarkRead(ctx, a, convID, f.Seq)
	default:
		sk.Send(web.ErrorFrameOf("bad_frame", "unknown frame type "+strconv.Quote(f.Type)))
		return
	}
	if err != nil {
		sk.Send(web.ErrorFrame(err))
	}
}

// closeFor closes a socket whose conversation could not be opened: 4404
// when it is not there (or not the caller's), 1011 otherwise.
func closeFor(sk *web.Socket, err error) {
	if de, ok := errs.As(err); ok && de.Kind == errs.NotFound {
		sk.Close(web.CloseNotFound, "no such conversation")
		return
	}
	if errors.Is(err, context.Canceled) {
		sk.Close(web.CloseGoingAway, "")
		return
	}
	sk.Close(web.CloseInternal, "")
}

// afterParam reads ?after=, a message seq (0 when absent).
func afterParam(c echo.Context) (int64, error) {
	v := c.QueryParam("after")
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, errs.Invalidf("after", "must be a message seq (0 or more)")
	}
	return n, nil
}
