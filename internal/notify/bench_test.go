package notify

import (
	"context"
	"fmt"
	"net/smtp"
	"testing"
	"time"

	"storekeep/internal/platform/mailtest"
	"storekeep/internal/platform/page"
)

// go test -run '^$' -bench . -count 5 ./internal/notify/ (docs/benchmarks.md, "E-mail").

// BenchmarkRender renders the French order confirmation (text and HTML)
// against its sample order.
func BenchmarkRender(b *testing.B) {
	s := NewService(nil)
	p := defaultTemplate(TemplateOrderConfirmation, "fr")
	for b.Loop() {
		if _, err := render(p, "fr", s.withShop(sampleData(TemplateOrderConfirmation)), false); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSMTP sends one rendered e-mail to a local mailpit: through the
// mailer (go-mail, a connection per message) and, as the baseline, through
// the standard library's smtp.SendMail with the same bytes of text.
func BenchmarkSMTP(b *testing.B) {
	mp := mailtest.Start(b)
	cfg, err := ParseSMTPURL(mp.SMTPURL)
	if err != nil {
		b.Fatal(err)
	}
	out, err := render(defaultTemplate(TemplateOrderConfirmation, "fr"), "fr",
		NewService(nil).withShop(sampleData(TemplateOrderConfirmation)), false)
	if err != nil {
		b.Fatal(err)
	}
	m := Outgoing{MessageID: "mail_bench", From: "shop@example.com", To: "bench@example.com", Subject: out.Subject,
		Text: out.Text, HTML: *out.HTML}
	b.Run("mailer", func(b *testing.B) {
		mailer := NewSMTPMailer(cfg, nil)
		for b.Loop() {
			if err := mailer.Send(context.Background(), m); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("baseline_net_smtp", func(b *testing.B) {
		raw := []byte("From: shop@example.com\r\nTo: bench@example.com\r\nSubject: bench\r\n" +
			"Content-Type: text/plain; charset=UTF-8\r\n\r\n" + m.Text + "\r\n" + m.HTML)
		for b.Loop() {
			if err := smtp.SendMail(mp.SMTPAddr, nil, m.From, []string{m.To}, raw); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkDeliver is the whole path: 100 messages recorded with Send in
// one transaction, then worked by the jobs (render, store, SMTP) until all
// are sent; messages/s is reported. mail_off stops before SMTP (not_sent).
func BenchmarkDeliver(b *testing.B) {
	const batch = 100
	mp := mailtest.Start(b)
	cfg, _ := ParseSMTPURL(mp.SMTPURL)
	for _, mode := range []string{"smtp", "mail_off"} {
		b.Run(mode, func(b *testing.B) {
			var opts []Option
			if mode == "smtp" {
				opts = append(opts, WithMailer(NewSMTPMailer(cfg, nil)), WithFrom("shop@example.com"))
			}
			s, r := newTestService(b, opts...)
			ctx := context.Background()
			var total time.Duration
			n := 0
			for b.Loop() {
				start := time.Now()
				err := s.db.WithTx(ctx, func(ctx context.Context) error {
					for range batch {
						n++
						if err := s.Send(ctx, Message{Template: TemplateOrderConfirmation, Locale: "fr",
							To: fmt.Sprintf("c%d@example.com", n), Data: sampleData(TemplateOrderConfirmation)}); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
				drain(b, r)
				total += time.Since(start)
			}
			l, err := s.Messages(ctx, manager, MessageFilter{Status: StatusQueued}, page.Request{Limit: 1})
			if err != nil || len(l.Data) > 0 {
				b.Fatalf("messages left queued: %v %v", l.Data, err)
			}
			b.ReportMetric(float64(n)/total.Seconds(), "msgs/s")
		})
	}
}
