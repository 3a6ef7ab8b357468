package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"storekeep/api"
	"storekeep/api/apitest"
	"storekeep/internal/notify"
	"storekeep/internal/orders"
	"storekeep/internal/platform/mailtest"
)

// An order's confirmation reaches its buyer through a real SMTP server in
// the order's language: the checkout's ?locale=, its Accept-Language, or
// the customer's own locale; a replayed event sends nothing again.
func TestOrderConfirmationArrivesInTheBuyersLanguage(t *testing.T) {
	t.Parallel()
	s := newMailShop(t)
	fr := s.orderAs("camille@example.com", "?locale=fr", nil)
	en := s.orderAs("ada@example.com", "", map[string]string{"Accept-Language": "de-DE, en;q=0.8"})
	if fr.Locale != "fr" || en.Locale != "en" {
		t.Fatalf("order locales %q and %q, want fr and en", fr.Locale, en.Locale)
	}
	// A customer who chose French gets French without asking at checkout.
	c := s.customer()
	c.email = "zoe@example.com"
	c.do(http.MethodPatch, "/v1/store/customers/me", map[string]any{"locale": "fr"}).Expect(t, http.StatusOK)
	c.newCart()
	c.add(s.small, 2)
	c.ready()
	mine := s.checkoutWith(c, "", nil)
	if mine.Locale != "fr" {
		t.Fatalf("the French customer's order has locale %q", mine.Locale)
	}
	s.drain()

	got := s.mp.WaitFor(t, "camille@example.com", 1, 10*time.Second)[0]
	if got.Subject != "Commande "+fr.Number+" confirmée" || got.From.Address != "shop@example.com" {
		t.Errorf("French confirmation: subject %q from %+v", got.Subject, got.From)
	}
	mustContain(t, "French text", got.Text, "Bonjour Camille", "Total : 16,90\u00a0€", "The Skincare Manager")
	mustContain(t, "French HTML", got.HTML, "<strong>"+fr.Number+"</strong>", "16,90\u00a0€")
	got = s.mp.WaitFor(t, "ada@example.com", 1, 10*time.Second)[0]
	if got.Subject != "Order "+en.Number+" confirmed" {
		t.Errorf("English confirmation: subject %q", got.Subject)
	}
	mustContain(t, "English text", got.Text, "Hello Camille", "Total: €16.90")
	got = s.mp.WaitFor(t, mine.Email, 1, 10*time.Second)[0]
	mustContain(t, "the customer's confirmation", got.Subject, "Commande "+mine.Number)

	list := s.messages("camille@example.com")
	if len(list) != 1 || list[0].Status != notify.StatusSent || list[0].Attempts != 1 || list[0].SentAt == nil ||
		list[0].Template != notify.TemplateOrderConfirmation || list[0].Locale != "fr" {
		t.Fatalf("recorded messages: %+v", list)
	}

	// The dispatcher hands the same events over again (a crash before its
	// commit): nothing is recorded or sent twice.
	if err := s.h.DB.Conn(context.Background()).Exec(`UPDATE events SET delivered_at = NULL`).Error; err != nil {
		t.Fatal(err)
	}
	s.drain()
	if n := len(s.messages("camille@example.com")); n != 1 {
		t.Errorf("%d messages after the replay, want 1", n)
	}
	time.Sleep(300 * time.Millisecond)
	if n := len(s.mp.Messages(t)); n != 3 {
		t.Errorf("mailpit holds %d messages after the replay, want 3", n)
	}
}

// Shipping sends the tracking e-mail (carrier, number, tracking link), a
// refund the refund e-mail.
func TestShippedAndRefundEmails(t *testing.T) {
	t.Parallel()
	s := newMailShop(t)
	o := s.orderAs("lea@example.com", "", nil)
	var f orders.Fulfillment
	s.h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/admin/orders/" + o.ID + "/fulfillments", Token: s.manager,
		Header: map[string]string{"Idempotency-Key": "ful-" + o.ID},
		Body:   map[string]any{"items": []any{map[string]any{"item_id": o.Items[0].ID, "quantity": 1}}}}).
		Expect(t, http.StatusCreated).JSON(t, &f)
	s.admin(http.MethodPost, "/v1/admin/orders/"+o.ID+"/fulfillments/"+f.ID+"/ship",
		map[string]any{"carrier": "Colissimo", "tracking_number": "6A12345678901"}).Expect(t, http.StatusOK)
	var shipped orders.Order
	s.admin(http.MethodGet, "/v1/admin/orders/"+o.ID, nil).Expect(t, http.StatusOK).JSON(t, &shipped)
	if shipped.FulfillmentStatus != orders.FulfillmentShipped || shipped.PaymentStatus != orders.PaymentCaptured {
		t.Fatalf("order after shipping: %s, %s", shipped.FulfillmentStatus, shipped.PaymentStatus)
	}
	s.ensureEvent("order.shipped", "order", o.ID, shipped)
	var rf orders.Refund
	s.h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/admin/orders/" + o.ID + "/refunds", Token: s.manager,
		Header: map[string]string{"Idempotency-Key": "rf-" + o.ID},
		Body:   map[string]any{"amount": eur(500), "reason": "late delivery"}}).Expect(t, http.StatusCreated).JSON(t, &rf)
	s.ensureEvent("refund.created", "refund", rf.ID, rf)
	s.drain()

	// The three jobs run side by side: they arrive in any order.
	bySubject := map[string]mailtest.Message{}
	for _, m := range s.mp.WaitFor(t, "lea@example.com", 3, 10*time.Second) {
		bySubject[m.Subject] = m
	}
	if _, ok := bySubject["Order "+o.Number+" confirmed"]; !ok {
		t.Errorf("no confirmation among %v", keys(bySubject))
	}
	ship, ok := bySubject["Your order "+o.Number+" is on its way"]
	if !ok {
		t.Fatalf("no tracking e-mail among %v", keys(bySubject))
	}
	mustContain(t, "tracking text", ship.Text, "Colissimo, tracking number 6A12345678901",
		"https://www.laposte.fr/outils/suivre-vos-envois?code=6A12345678901", "Gel Cleanser")
	mustContain(t, "tracking HTML", ship.HTML, `<a href="https://www.laposte.fr/outils/suivre-vos-envois?code=6A12345678901">`)
	if _, ok := bySubject["Refund of €5.00 for order "+o.Number]; !ok {
		t.Errorf("no refund e-mail among %v", keys(bySubject))
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// Staff edit a template and the next e-mail uses it; a broken template is
// 422 and changes nothing; preview renders sample or given data; DELETE
// brings the default back. Support staff read messages but not templates.
func TestStaffTemplates(t *testing.T) {
	t.Parallel()
	s := newMailShop(t)
	path := "/v1/admin/notifications/templates/order_confirmation"
	var tpl notify.Template
	s.admin(http.MethodGet, path+"?locale=fr", nil).Expect(t, http.StatusOK).JSON(t, &tpl)
	if tpl.Customized || tpl.Locale != "fr" || !strings.Contains(tpl.Subject, "Commande") || tpl.HTML == nil {
		t.Fatalf("French default: %+v", tpl)
	}
	var all struct{ Data []notify.Template }
	s.admin(http.MethodGet, "/v1/admin/notifications/templates", nil).Expect(t, http.StatusOK).JSON(t, &all)
	if len(all.Data) != len(notify.TemplateNames)*2 {
		t.Errorf("%d templates listed, want every name in en and fr", len(all.Data))
	}

	broken := s.admin(http.MethodPut, path, map[string]any{"locale": "en", "subject": "Order {{.order.numbr}}",
		"text": "Hi {{if}}", "html": "<p>{{.order.number}}</p>"}).ExpectProblem(t, http.StatusUnprocessableEntity, "template_invalid")
	if len(broken.Errors) != 2 || broken.Errors[0].Field != "subject" || broken.Errors[1].Field != "text" {
		t.Errorf("errors of the broken template: %+v", broken.Errors)
	}
	s.admin(http.MethodPut, path, map[string]any{"locale": "de", "subject": "x", "text": "y"}).
		ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
	s.admin(http.MethodPut, "/v1/admin/notifications/templates/nope", map[string]any{"locale": "en", "subject": "x",
		"text": "y"}).ExpectProblem(t, http.StatusNotFound, "not_found")
	s.admin(http.MethodGet, path, nil).Expect(t, http.StatusOK).JSON(t, &tpl)
	if tpl.Customized {
		t.Fatal("a refused template was saved")
	}

	s.admin(http.MethodPut, path, map[string]any{"locale": "en", "subject": "Thanks, {{.order.shipping_address.first_name}}! ({{.order.number}})",
		"text": "We got {{len .order.items}} line(s), {{money .order.total}} in all. {{.shop.name}}"}).
		Expect(t, http.StatusOK).JSON(t, &tpl)
	if !tpl.Customized || tpl.UpdatedAt == nil || tpl.HTML != nil {
		t.Errorf("saved: %+v", tpl)
	}
	var out notify.Rendered
	s.admin(http.MethodPost, path+"/preview", map[string]any{}).Expect(t, http.StatusOK).JSON(t, &out)
	if out.Subject != "Thanks, Camille! (SK-1001)" || out.Text != "We got 2 line(s), €44.85 in all. The Skincare Manager" || out.HTML != nil {
		t.Errorf("preview of the saved template with the sample: %+v", out)
	}
	s.admin(http.MethodPost, path+"/preview", map[string]any{"locale": "fr", "subject": "Commande {{.order.number}}",
		"text": "{{with .customer}}{{.first_name}}{{end}}Total : {{money .order.total}}", "html": "<b>{{.order.number}}</b>",
		"data": map[string]any{"order": map[string]any{"number": "X-1", "total": eur(1999)}}}).
		Expect(t, http.StatusOK).JSON(t, &out)
	if out.Subject != "Commande X-1" || out.Text != "Total : 19,99\u00a0€" || out.HTML == nil || *out.HTML != "<b>X-1</b>" {
		t.Errorf("preview of a French draft with given data: %+v", out)
	}
	s.admin(http.MethodPost, path+"/preview", map[string]any{"text": "{{.order.nope}}"}).
		ExpectProblem(t, http.StatusUnprocessableEntity, "template_invalid")

	o := s.orderAs("grace@example.com", "", nil)
	s.drain()
	got := s.mp.WaitFor(t, "grace@example.com", 1, 10*time.Second)[0]
	if got.Subject != "Thanks, Camille! ("+o.Number+")" || strings.TrimSpace(got.Text) != "We got 1 line(s), €16.90 in all. The Skincare Manager" || got.HTML != "" {
		t.Errorf("the e-mail does not use the saved template: %q / %q / html %q", got.Subject, got.Text, got.HTML)
	}

	s.admin(http.MethodDelete, path+"?locale=en", nil).Expect(t, http.StatusNoContent)
	s.admin(http.MethodGet, path, nil).Expect(t, http.StatusOK).JSON(t, &tpl)
	if tpl.Customized || tpl.HTML == nil {
		t.Errorf("after DELETE: %+v, want the default", tpl)
	}

	support := s.h.StaffToken(t, "support")
	s.h.Do(apitest.Request{Method: http.MethodGet, Path: path, Token: support}).ExpectProblem(t, http.StatusForbidden, "forbidden")
	var l struct{ Data []notify.MessageSummary }
	s.h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/admin/notifications/messages?template=order_confirmation&status=sent",
		Token: support}).Expect(t, http.StatusOK).JSON(t, &l)
	if len(l.Data) != 1 || l.Data[0].To != "grace@example.com" {
		t.Errorf("support's list: %+v", l.Data)
	}
	s.admin(http.MethodGet, "/v1/admin/notifications/messages?status=lost", nil).ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
	s.admin(http.MethodGet, "/v1/admin/notifications/messages/mail_nope", nil).ExpectProblem(t, http.StatusNotFound, "not_found")
}

// Without an SMTP server, messages are rendered and kept as not_sent.
func TestMailOffRecordsMessages(t *testing.T) {
	t.Parallel()
	s := newShop(t, 5, 5)
	o := s.orderAs("off@example.com", "?locale=fr", nil)
	s.drain()
	list := s.messages("off@example.com")
	if len(list) != 1 || list[0].Status != notify.StatusNotSent || list[0].Subject == nil ||
		*list[0].Subject != "Commande "+o.Number+" confirmée" || list[0].SentAt != nil {
		t.Fatalf("messages with e-mail off: %+v", list)
	}
	m := s.message(list[0].ID)
	if m.Text == nil || !strings.Contains(*m.Text, o.Number) || m.HTML == nil || m.Data["order"] == nil {
		t.Errorf("message detail: text %v, html set %v, data keys %v", m.Text, m.HTML != nil, m.Data)
	}
	// Without a sender address templates name the shop "Storekeep".
	mustContain(t, "text", *m.Text, "Storekeep")
}

// SMTP down: the message waits and is retried; once the server is back it
// is sent.
func TestSMTPDownIsRetried(t *testing.T) {
	t.Parallel()
	addr := mailtest.FreeAddr(t) // nothing listens there yet
	// Tries 6 s apart: River parks the job as retryable (a retry due within
	// its 5 s scheduler interval would stay available, and Drain would wait
	// for every try), and the server is back before they run out.
	s := newShop(t, 5, 5, withSMTPRetry("smtp://"+addr+"?tls=none", 6*time.Second))
	s.orderAs("later@example.com", "", nil)
	s.drain()
	list := s.messages("later@example.com")
	if len(list) != 1 || list[0].Status != notify.StatusQueued || list[0].Attempts < 1 || list[0].LastError == nil {
		t.Fatalf("while the server is down: %+v", list)
	}
	mp := mailtest.StartWith(t, mailtest.Options{SMTPAddr: addr})
	m := s.waitStatus(list[0].ID, notify.StatusSent, 30*time.Second)
	if m.Attempts < 2 {
		t.Errorf("sent after %d attempts, want a retry", m.Attempts)
	}
	mp.WaitFor(t, "later@example.com", 1, 10*time.Second)
}

// A permanent refusal (5xx) fails the message at once, without retry.
func TestPermanentRefusalIsNotRetried(t *testing.T) {
	t.Parallel()
	s := newMailShop(t)
	s.mp.Chaos(t, 550, 100)
	s.orderAs("refused@example.com", "", nil)
	s.drain()
	list := s.messages("refused@example.com")
	if len(list) != 1 || list[0].Status != notify.StatusFailed || list[0].Attempts != 1 ||
		list[0].LastError == nil || !strings.Contains(*list[0].LastError, "550") {
		t.Fatalf("after a 550: %+v", list)
	}
	s.mp.Chaos(t, 550, 0)
	time.Sleep(500 * time.Millisecond)
	s.drain()
	if l := s.messages("refused@example.com"); l[0].Status != notify.StatusFailed || l[0].Attempts != 1 {
		t.Errorf("the failed message moved: %+v", l[0])
	}
	if n := len(s.mp.Messages(t)); n != 0 {
		t.Errorf("mailpit got %d messages", n)
	}
}

// An agent's reply is e-mailed when the customer has not read it; a reply
// they read is not.
func TestSupportReplyEmail(t *testing.T) {
	t.Parallel()
	s := newMailShop(t, func(o *api.Options) { o.Support.DisableBot = true })
	agent := s.h.StaffToken(t, "support")
	start := func(email string) (string, string) {
		var out struct {
			Conversation struct{ ID string } `json:"conversation"`
			Token        string              `json:"token"`
		}
		s.h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/store/support/conversations?locale=fr",
			Body: map[string]any{"subject": "Colis", "message": "Où est mon colis ?", "email": email}}).
			Expect(t, http.StatusCreated).JSON(t, &out)
		return out.Conversation.ID, out.Token
	}
	reply := func(conv, body string) int64 {
		var m struct{ Seq int64 }
		s.h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/admin/support/conversations/" + conv + "/messages",
			Token: agent, Body: map[string]any{"body": body}}).Expect(t, http.StatusCreated).JSON(t, &m)
		return m.Seq
	}
	away, _ := start("away@example.com")
	reply(away, "Il est parti ce matin.\nBonne journée !")
	s.h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/admin/support/conversations/" + away + "/messages",
		Token: agent, Body: map[string]any{"body": "note: checked the carrier", "internal": true}}).Expect(t, http.StatusCreated)
	here, token := start("here@example.com")
	seq := reply(here, "Il arrive demain.")
	s.h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/store/support/conversations/" + here + "/read",
		Header: map[string]string{"X-Conversation-Token": token}, Body: map[string]any{"seq": seq}}).Expect(t, http.StatusNoContent)
	s.drain()

	got := s.mp.WaitFor(t, "away@example.com", 1, 10*time.Second)[0]
	if got.Subject != "Nouvelle réponse : Colis" {
		t.Errorf("subject %q", got.Subject)
	}
	mustContain(t, "reply text", got.Text, "Il est parti ce matin.\nBonne journée !")
	if strings.Contains(got.Text, "checked the carrier") {
		t.Error("an internal note reached the customer")
	}
	if l := s.messages("here@example.com"); len(l) != 0 {
		t.Errorf("a read reply was e-mailed: %+v", l)
	}
}

// discount.issued (recorded by automations or staff) sends the code in the
// customer's language.
func TestDiscountIssuedEmail(t *testing.T) {
	t.Parallel()
	s := newMailShop(t)
	var promo map[string]any
	s.admin(http.MethodPost, "/v1/admin/promotions", map[string]any{"code": "THANKS-ABC123", "type": "percentage",
		"percentage": 1500, "ends_at": "2031-01-31T00:00:00Z"}).Expect(t, http.StatusCreated).JSON(t, &promo)
	acct := s.h.NewCustomer(t)
	s.ensureEvent("discount.issued", "discount", promo["id"].(string), map[string]any{"promotion": promo,
		"customer_id": acct.ID, "email": acct.Email, "locale": "fr", "source": "staff"})
	s.drain()
	got := s.mp.WaitFor(t, acct.Email, 1, 10*time.Second)[0]
	if got.Subject != "Un cadeau pour vous : 15\u202f% de remise avec THANKS-ABC123" {
		t.Errorf("subject %+q", got.Subject)
	}
	mustContain(t, "discount text", got.Text, "Bonjour Test", "THANKS-ABC123", "31 janvier 2031")
}
