package notify

import (
	"context"
	"errors"
)

// Outgoing is one rendered e-mail ready for the wire.
type Outgoing struct {
	// MessageID is the message's id: it becomes the Message-ID header, so a
	// message sent twice (a crash between the server's answer and our
	// record of it) is recognisable.
	MessageID string
	From      string
	To        string
	Subject   string
	Text      string
	// HTML is empty for a text-only e-mail.
	HTML string
}

// Mailer sends one e-mail. An error wrapping a *PermanentError is a refusal
// retrying cannot fix; any other error is worth another try.
type Mailer interface {
	Send(ctx context.Context, m Outgoing) error
}

// PermanentError is a refusal of the message itself (an SMTP 5xx reply to
// its sender, recipient or content).
type PermanentError struct {
	Err error
}

func (e *PermanentError) Error() string { return e.Err.Error() }

func (e *PermanentError) Unwrap() error { return e.Err }

// IsPermanent reports whether err is a permanent refusal.
func IsPermanent(err error) bool {
	var p *PermanentError
	return errors.As(err, &p)
}
