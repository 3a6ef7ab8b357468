package notify

import (
	"errors"
	"strings"
	"testing"

	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/locale"
)

// Every built-in template renders against its sample data in every locale,
// strictly (no variable missing), with an HTML part.
func TestDefaultTemplatesRenderTheirSamples(t *testing.T) {
	t.Parallel()
	s := NewService(nil, WithFrom("The Skincare Manager <shop@example.com>"))
	for _, loc := range locale.Supported {
		for _, name := range TemplateNames {
			out, err := render(defaultTemplate(name, loc), loc, s.withShop(sampleData(name)), true)
			if err != nil {
				t.Errorf("%s/%s: %v (%s)", loc, name, err, reason(err))
				continue
			}
			if out.Subject == "" || out.Text == "" || out.HTML == nil || strings.Contains(out.Text+*out.HTML, "<no value>") {
				t.Errorf("%s/%s rendered %+v", loc, name, out)
			}
			if !strings.Contains(out.Text, "The Skincare Manager") && name != TemplateSupportReply {
				t.Errorf("%s/%s does not sign with the shop's name:\n%s", loc, name, out.Text)
			}
		}
	}
}

func TestRenderFormatsForTheLocaleAndEscapesHTML(t *testing.T) {
	t.Parallel()
	data := sampleData(TemplateOrderConfirmation)
	data["order"].(map[string]any)["shipping_address"].(map[string]any)["first_name"] = "<b>Zoé</b>"
	out, err := render(defaultTemplate(TemplateOrderConfirmation, "fr"), "fr", NewService(nil).withShop(data), true)
	if err != nil {
		t.Fatal(err)
	}
	if out.Subject != "Commande SK-1001 confirmée" {
		t.Errorf("subject %q", out.Subject)
	}
	if !strings.Contains(out.Text, "Total : 44,85\u00a0€") || !strings.Contains(out.Text, "5 mars 2025") {
		t.Errorf("French text lacks the French total or date:\n%s", out.Text)
	}
	if strings.Contains(*out.HTML, "<b>Zoé</b>") || !strings.Contains(*out.HTML, "&lt;b&gt;Zoé&lt;/b&gt;") {
		t.Errorf("HTML does not escape the customer's name:\n%s", *out.HTML)
	}
	if !strings.Contains(out.Text, "<b>Zoé</b>") {
		t.Error("the text part is not HTML and keeps the name as typed")
	}
}

func TestRenderNamesEveryBrokenPart(t *testing.T) {
	t.Parallel()
	html := "<p>{{.order.nope}}</p>"
	_, err := render(parts{Subject: "{{.order.number", Text: "{{nope}}", HTML: &html}, "en",
		sampleData(TemplateOrderConfirmation), true)
	e, ok := errors.AsType[*errs.Error](err)
	if !ok || !errors.Is(err, ErrTemplateInvalid) || len(e.Fields) != 3 {
		t.Fatalf("err = %v, want template_invalid naming subject, text and html", err)
	}
	for i, f := range []string{"subject", "text", "html"} {
		if e.Fields[i].Field != f || e.Fields[i].Message == "" {
			t.Errorf("field %d = %+v, want %s with a message", i, e.Fields[i], f)
		}
	}
	// Sending is lenient with optional fields: an absent one is empty in {{with}}.
	out, err := render(parts{Subject: "Hi{{with .customer}} {{.first_name}}{{end}}", Text: "x"}, "en", map[string]any{}, false)
	if err != nil || out.Subject != "Hi" {
		t.Errorf("lenient render = %+v, %v", out, err)
	}
}

func TestRenderStopsRunawayTemplates(t *testing.T) {
	t.Parallel()
	_, err := render(parts{Subject: "s", Text: "{{range 100000000}}xxxxxxxxxx{{end}}"}, "en", map[string]any{}, true)
	if !errors.Is(err, ErrTemplateInvalid) || !strings.Contains(reason(err), "512 KiB") {
		t.Fatalf("err = %v (%s), want the output cap", err, reason(err))
	}
}

func TestSubjectIsOneLine(t *testing.T) {
	t.Parallel()
	out, err := render(parts{Subject: "a\r\nBcc: x@example.com\t b", Text: "t"}, "en", map[string]any{}, true)
	if err != nil || out.Subject != "a Bcc: x@example.com b" {
		t.Fatalf("subject = %q, %v", out.Subject, err)
	}
}
