package notify

import (
	"bytes"
	"errors"
	htmltemplate "html/template"
	"io"
	"strings"
	texttemplate "text/template"
	"unicode"

	"storekeep/internal/platform/errs"
)

// Rendered is a template executed against a message's data.
type Rendered struct {
	Subject string  `json:"subject" binding:"required" example:"Your order SK-1001"`
	Text    string  `json:"text" binding:"required" example:"Hello Camille, ..."`
	HTML    *string `json:"html" binding:"required" extensions:"x-nullable" example:"<p>Hello Camille</p>"`
} // @name NotificationRendered

// maxRendered bounds one rendered part: a template that loops without end
// fails instead of filling the memory.
const maxRendered = 512 << 10

// errTooLong stops an execution whose output passed maxRendered.
var errTooLong = errors.New("the rendered text is longer than 512 KiB")

// capped is a buffer that refuses to grow past maxRendered.
type capped struct{ bytes.Buffer }

func (c *capped) Write(p []byte) (int, error) {
	if c.Len()+len(p) > maxRendered {
		return 0, errTooLong
	}
	return c.Buffer.Write(p)
}

var _ io.Writer = (*capped)(nil)

// funcs are the functions every template may call, writing for loc:
// money (a Money object), percent (basis points), date (an RFC 3339 time)
// and discount (a promotion, optionally the currency of its fixed amount).
func funcs(loc string) map[string]any {
	return map[string]any{
		"money": func(v any) (string, error) {
			a, err := amountOf(v)
			if err != nil {
				return "", err
			}
			return formatMoney(loc, a.Minor, a.Currency), nil
		},
		"percent": func(v any) (string, error) {
			n, err := intOf(v)
			if err != nil {
				return "", err
			}
			return formatPercent(loc, n), nil
		},
		"date": func(v any) (string, error) {
			t, err := timeOf(v)
			if err != nil {
				return "", err
			}
			return formatDate(loc, t), nil
		},
		"discount": func(promo any, currency ...string) (string, error) {
			return formatDiscount(loc, promo, currency...)
		},
	}
}

// render executes p for loc against data. Every part that fails is named
// in the error's fields (subject, text, html) with the template's message.
// strict (saving a template, previewing the sample data) refuses a variable
// the data lacks; otherwise (sending) a missing optional field is empty
// inside {{with}}/{{if}}, as the documentation asks templates to write them.
func render(p parts, loc string, data map[string]any, strict bool) (Rendered, error) {
	missing := "missingkey=default"
	if strict {
		missing = "missingkey=error"
	}
	var out Rendered
	var fe []errs.FieldError
	fail := func(field string, err error) {
		fe = append(fe, errs.FieldError{Field: field, Message: err.Error()})
	}
	fm := funcs(loc)
	text := func(name, src string) (string, error) {
		t, err := texttemplate.New(name).Option(missing).Funcs(fm).Parse(src)
		if err != nil {
			return "", err
		}
		var b capped
		if err := t.Execute(&b, data); err != nil {
			return "", err
		}
		return b.String(), nil
	}
	subject, err := text("subject", p.Subject)
	if err != nil {
		fail("subject", err)
	}
	out.Subject = oneLine(subject)
	if out.Text, err = text("text", p.Text); err != nil {
		fail("text", err)
	}
	if p.HTML != nil && strings.TrimSpace(*p.HTML) != "" {
		t, err := htmltemplate.New("html").Option(missing).Funcs(fm).Parse(*p.HTML)
		var b capped
		if err == nil {
			err = t.Execute(&b, data)
		}
		if err != nil {
			fail("html", err)
		} else {
			h := b.String()
			out.HTML = &h
		}
	}
	if len(fe) > 0 {
		return Rendered{}, ErrTemplateInvalid.WithFields(fe...)
	}
	if out.Subject == "" {
		return Rendered{}, ErrTemplateInvalid.WithFields(errs.FieldError{Field: "subject", Message: "renders empty"})
	}
	return out, nil
}

// oneLine makes a rendered subject one header line: control characters
// (line breaks, tabs) become spaces, runs of spaces one. No-break spaces
// stay: French typography puts them before "%" and "€".
func oneLine(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == ' ' }), " ")
}

// withShop adds the shop's own variables to a message's data.
func (s *Service) withShop(data map[string]any) map[string]any {
	out := make(map[string]any, len(data)+1)
	for k, v := range data {
		out[k] = v
	}
	out["shop"] = map[string]any{"name": s.shopName}
	return out
}
