package web

import (
	"encoding/json"

	"storekeep/internal/platform/errs"
)

// socketError is the {"type":"error"} frame of the socket protocol.
type socketError struct {
	Type   string `json:"type"`
	Code   string `json:"code"`
	Detail string `json:"detail"`
}

// ErrorFrame encodes err as a socket's error frame: a domain error's code
// and message (with its first field error), anything else "internal"
// without its cause, as the HTTP error handler does.
func ErrorFrame(err error) []byte {
	f := socketError{Type: "error", Code: "internal", Detail: "something went wrong on our side"}
	if de, ok := errs.As(err); ok {
		f.Code, f.Detail = de.Code, de.Message
		if len(de.Fields) > 0 {
			f.Detail = de.Fields[0].Field + ": " + de.Fields[0].Message
		}
	}
	b, _ := json.Marshal(f)
	return b
}

// ErrorFrameOf encodes an error frame with code and detail.
func ErrorFrameOf(code, detail string) []byte {
	b, _ := json.Marshal(socketError{Type: "error", Code: code, Detail: detail})
	return b
}
