package live

import (
	"encoding/json"

	"storekeep/internal/support"
)

// Frame types of the socket protocol (docs/support-realtime.md).
const (
	FrameAuth         = "auth"
	FrameReady        = "ready"
	FrameMessage      = "message"
	FrameConversation = "conversation"
	FramePing         = "ping"
	FramePong         = "pong"
	FrameRead         = "read"
	FrameError        = "error"
)

// MessageFrame is {"type":"message","message":{...}}.
type MessageFrame struct {
	Type    string          `json:"type"`
	Message support.Message `json:"message"`
}

// ConversationFrame is {"type":"conversation","conversation":{...}}.
type ConversationFrame struct {
	Type         string               `json:"type"`
	Conversation support.Conversation `json:"conversation"`
}

// ReadyFrame is {"type":"ready","last_seq":N}: the replay is over.
type ReadyFrame struct {
	Type    string `json:"type"`
	LastSeq int64  `json:"last_seq"`
}

// ErrorFrame refuses one client frame; the socket stays open.
type ErrorFrame struct {
	Type   string `json:"type"`
	Code   string `json:"code"`
	Detail string `json:"detail"`
}

// ClientFrame is any frame a client sends; Type says which fields matter.
type ClientFrame struct {
	Type  string `json:"type"`
	Token string `json:"token,omitempty"`
	Body  string `json:"body,omitempty"`
	Seq   int64  `json:"seq,omitempty"`
}

// PongFrame is the answer to {"type":"ping"}; it never changes.
var PongFrame = []byte(`{"type":"pong"}`)

func encodeMessage(m support.Message) []byte {
	b, _ := json.Marshal(MessageFrame{Type: FrameMessage, Message: m}) // plain data: cannot fail
	return b
}

func encodeConversation(c support.Conversation) []byte {
	b, _ := json.Marshal(ConversationFrame{Type: FrameConversation, Conversation: c})
	return b
}

// EncodeError encodes an error frame.
func EncodeError(code, detail string) []byte {
	b, _ := json.Marshal(ErrorFrame{Type: FrameError, Code: code, Detail: detail})
	return b
}

func encodeReady(seq int64) []byte {
	b, _ := json.Marshal(ReadyFrame{Type: FrameReady, LastSeq: seq})
	return b
}
