package notify

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/dbtest"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/jobs"
	"storekeep/internal/platform/page"
)

var manager = auth.Actor{Kind: auth.Staff, ID: "stf_test", Role: auth.RoleManager}

func newTestService(t testing.TB, opts ...Option) (*Service, *jobs.Runner) {
	t.Helper()
	d := dbtest.New(t)
	r := jobs.New(d, jobs.Options{})
	s := NewService(d, append([]Option{WithJobs(r)}, opts...)...)
	RegisterJobs(r, s)
	t.Cleanup(func() { _ = r.Stop(context.Background()) })
	return s, r
}

func drain(t testing.TB, r *jobs.Runner) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := r.Drain(ctx); err != nil {
		t.Fatal(err)
	}
}

// Send records a message once per dedupe key, refuses unknown templates and
// unusable addresses, and a message that cannot render fails with the
// reason instead of being retried.
func TestSendDedupesAndFailsUnrenderableMessages(t *testing.T) {
	t.Parallel()
	s, r := newTestService(t)
	ctx := t.Context()
	m := Message{Template: TemplateOrderConfirmation, Locale: "de-DE", To: " Someone <SOMEONE@Example.com> ",
		Data: map[string]any{"order": map[string]any{"number": "X-1"}}, DedupeKey: "k1"}
	for range 2 {
		if err := s.Send(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Send(ctx, Message{Template: "nope", To: "a@example.com"}); !errors.Is(err, ErrTemplateNotFound) {
		t.Errorf("unknown template: %v", err)
	}
	if err := s.Send(ctx, Message{Template: TemplateCartReminder, To: "not an address"}); !errors.Is(err, ErrNoRecipient) {
		t.Errorf("bad address: %v", err)
	}
	if err := s.Send(ctx, Message{Template: TemplateCartReminder}); !errors.Is(err, ErrNoRecipient) {
		t.Errorf("no address: %v", err)
	}
	drain(t, r)
	l, err := s.Messages(ctx, manager, MessageFilter{}, page.Request{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Data) != 1 {
		t.Fatalf("%d messages, want 1 (deduplicated)", len(l.Data))
	}
	got := l.Data[0]
	if got.To != "someone@example.com" || got.Locale != "en" || got.Status != StatusFailed || got.LastError == nil ||
		!strings.Contains(*got.LastError, "render: text: ") || !strings.Contains(*got.LastError, "is not a time") {
		t.Errorf("message: %+v (last error %v)", got, deref(got.LastError))
	}
}

// Support staff read messages but not templates; warehouse staff neither.
func TestRoles(t *testing.T) {
	t.Parallel()
	s, _ := newTestService(t)
	ctx := t.Context()
	support := auth.Actor{Kind: auth.Staff, ID: "stf_s", Role: auth.RoleSupport}
	keeper := auth.Actor{Kind: auth.Staff, ID: "stf_w", Role: auth.RoleWarehouse}
	if _, err := s.Messages(ctx, support, MessageFilter{}, page.Request{Limit: 1}); err != nil {
		t.Errorf("support reads messages: %v", err)
	}
	if _, err := s.Templates(ctx, support, ""); !errors.Is(err, errs.ErrForbidden) {
		t.Errorf("support reads templates: %v", err)
	}
	if _, err := s.Messages(ctx, keeper, MessageFilter{}, page.Request{Limit: 1}); err == nil {
		t.Error("warehouse staff read messages")
	}
	if _, err := s.PutTemplate(ctx, support, TemplateOrderShipped, TemplateInput{Locale: "en", Subject: "s", Text: "t"}); err == nil {
		t.Error("support staff saved a template")
	}
}

func TestUnreadReplies(t *testing.T) {
	t.Parallel()
	th := Thread{Unread: 2, Recent: []ThreadMessage{{Seq: 1, Author: "customer"}, {Seq: 2, Author: "agent"},
		{Seq: 3, Author: "customer"}, {Seq: 4, Author: "bot"}, {Seq: 5, Author: "agent"}}}
	got := unreadReplies(th)
	if len(got) != 2 || got[0].Seq != 4 || got[1].Seq != 5 {
		t.Errorf("unread = %+v, want seq 4 and 5", got)
	}
	th.Unread = 0
	if got := unreadReplies(th); len(got) != 0 {
		t.Errorf("nothing unread: %+v", got)
	}
}
