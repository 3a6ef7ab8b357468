package notify

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/jobs"
)

// sendWorker is the send job: render once, then hand to the mailer.
type sendWorker struct {
	jobs.WorkerDefaults[sendArgs]
	s *Service
}

func (w *sendWorker) Work(ctx context.Context, j *jobs.Job[sendArgs]) error {
	return w.s.deliver(ctx, j.Args.MessageID, j.Attempt, j.MaxAttempts)
}

// NextRetry is River's backoff unless the service was given its own.
func (w *sendWorker) NextRetry(j *jobs.Job[sendArgs]) time.Time {
	if w.s.backoff == nil {
		return time.Time{}
	}
	return time.Now().Add(w.s.backoff(j.Attempt))
}

// maxErrorLen bounds the failure reason kept on a message.
const maxErrorLen = 1000

// deliver works one try of a message. It returns an error only for a
// temporary failure with tries left, so River tries again later; every
// other outcome is recorded on the message (sent, not_sent, failed).
func (s *Service) deliver(ctx context.Context, messageID string, attempt, maxAttempts int) error {
	var r messageRow
	err := s.db.Conn(ctx).Where("id = ?", messageID).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("notify: read message: %w", err)
	}
	if r.Status != StatusQueued {
		return nil // done by an earlier run of this job
	}
	if r.Subject == nil {
		out, err := s.renderMessage(ctx, r)
		if err != nil {
			if errors.Is(err, ErrTemplateInvalid) {
				return s.finish(ctx, r.ID, StatusFailed, "render: "+reason(err), 0)
			}
			return err
		}
		if err := s.saveRendered(ctx, &r, out); err != nil {
			return err
		}
	}
	if s.mailer == nil {
		return s.finish(ctx, r.ID, StatusNotSent, "", 0)
	}
	out := Outgoing{MessageID: r.ID, From: s.from, To: r.Recipient, Subject: *r.Subject, Text: deref(r.BodyText),
		HTML: deref(r.BodyHTML)}
	err = s.mailer.Send(ctx, out)
	switch {
	case err == nil:
		return s.finish(ctx, r.ID, StatusSent, "", 1)
	case IsPermanent(err):
		return s.finish(ctx, r.ID, StatusFailed, "refused: "+err.Error(), 1)
	case attempt >= maxAttempts:
		return s.finish(ctx, r.ID, StatusFailed, fmt.Sprintf("gave up after %d tries: %v", attempt, err), 1)
	}
	if uerr := s.db.Conn(ctx).Model(&messageRow{}).Where("id = ? AND status = ?", r.ID, StatusQueued).
		Updates(map[string]any{"attempts": gorm.Expr("attempts + 1"), "last_error": clip(err.Error()),
			"updated_at": s.clock()}).Error; uerr != nil {
		return errors.Join(err, uerr)
	}
	s.log.WarnContext(ctx, "e-mail not sent, will retry", "message_id", r.ID, "attempt", attempt, "error", err.Error())
	return err
}

// renderMessage renders r's template in r's locale with its data.
func (s *Service) renderMessage(ctx context.Context, r messageRow) (Rendered, error) {
	p, err := s.templateParts(ctx, r.Template, r.Locale)
	if err != nil {
		return Rendered{}, err
	}
	data, err := decodeData(r.Data)
	if err != nil {
		return Rendered{}, ErrTemplateInvalid.WithDetail("the message's data does not decode: %v", err)
	}
	return render(p, r.Locale, s.withShop(data), false)
}

// saveRendered stores what the message says, before any try to send it, so
// every try sends the same e-mail and staff can read it.
func (s *Service) saveRendered(ctx context.Context, r *messageRow, out Rendered) error {
	r.Subject, r.BodyText, r.BodyHTML = &out.Subject, &out.Text, out.HTML
	err := s.db.Conn(ctx).Model(&messageRow{}).Where("id = ?", r.ID).Updates(map[string]any{
		"subject": out.Subject, "body_text": out.Text, "body_html": out.HTML, "updated_at": s.clock()}).Error
	if err != nil {
		return fmt.Errorf("notify: save rendered message: %w", err)
	}
	return nil
}

// finish moves a queued message to its final status, counting tries tries.
func (s *Service) finish(ctx context.Context, messageID, status, why string, tries int) error {
	now := s.clock()
	set := map[string]any{"status": status, "updated_at": now, "attempts": gorm.Expr("attempts + ?", tries)}
	if why != "" {
		set["last_error"] = clip(why)
	}
	if status == StatusSent {
		set["sent_at"] = now
	}
	err := s.db.Conn(ctx).Model(&messageRow{}).Where("id = ? AND status = ?", messageID, StatusQueued).
		Updates(set).Error
	if err != nil {
		return fmt.Errorf("notify: finish message: %w", err)
	}
	if status == StatusFailed {
		s.log.WarnContext(ctx, "e-mail failed", "message_id", messageID, "reason", clip(why))
	}
	return nil
}

// reason flattens a render error's fields ("text: template: text:3: ...").
func reason(err error) string {
	e, ok := errors.AsType[*errs.Error](err)
	if !ok || len(e.Fields) == 0 {
		return err.Error()
	}
	out := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		out[i] = f.Field + ": " + f.Message
	}
	return strings.Join(out, "; ")
}

func clip(s string) string {
	if len(s) <= maxErrorLen {
		return s
	}
	return s[:maxErrorLen]
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
