package notify

import (
	"embed"
	"fmt"
	"slices"
	"strings"
	"time"

	"storekeep/internal/platform/locale"
)

// Template names.
const (
	TemplateOrderConfirmation  = "order_confirmation"
	TemplateOrderShipped       = "order_shipped"
	TemplateRefundIssued       = "refund_issued"
	TemplateSupportReply       = "support_reply"
	TemplateDiscountIssued     = "discount_issued"
	TemplateLoyaltyTierChanged = "loyalty_tier_changed"
	TemplateCartReminder       = "cart_reminder"
)

// TemplateNames lists every template, in the order the API lists them.
var TemplateNames = []string{TemplateOrderConfirmation, TemplateOrderShipped, TemplateRefundIssued,
	TemplateSupportReply, TemplateDiscountIssued, TemplateLoyaltyTierChanged, TemplateCartReminder}

// KnownTemplate reports whether name is a template.
func KnownTemplate(name string) bool { return slices.Contains(TemplateNames, name) }

// Template is an e-mail template in one locale as staff see it: the
// shop's own version when staff saved one (customized), else the built-in
// default. Subject and text are text/template, html is html/template (its
// values are escaped); html null means the e-mail has a text part only.
type Template struct {
	Name    string  `json:"name" binding:"required" enums:"order_confirmation,order_shipped,refund_issued,support_reply,discount_issued,loyalty_tier_changed,cart_reminder" example:"order_confirmation"`
	Locale  string  `json:"locale" binding:"required" enums:"en,fr" example:"fr"`
	Subject string  `json:"subject" binding:"required" example:"Your order {{.order.number}}"`
	Text    string  `json:"text" binding:"required" example:"Hello {{.order.shipping_address.first_name}}, ..."`
	HTML    *string `json:"html" binding:"required" extensions:"x-nullable" example:"<p>Hello {{.order.shipping_address.first_name}}</p>"`
	// Customized is true when the shop saved its own version; DELETE brings
	// the default back.
	Customized bool `json:"customized" binding:"required" example:"false"`
	// UpdatedAt is when staff last saved it (null for a default).
	UpdatedAt *time.Time `json:"updated_at" binding:"required" extensions:"x-nullable" format:"date-time" example:"2025-01-31T12:00:00Z"`
} // @name NotificationTemplate

// TemplateInput is a template staff save for one locale.
type TemplateInput struct {
	Locale  string `json:"locale" validate:"required" enums:"en,fr" example:"fr"`
	Subject string `json:"subject" validate:"required,max=300" maxLength:"300" example:"Votre commande {{.order.number}}"`
	Text    string `json:"text" text:"free" validate:"required,max=100000" maxLength:"100000" example:"Bonjour {{.order.shipping_address.first_name}}, ..."`
	// HTML is optional: without it the e-mail has a text part only.
	HTML *string `json:"html,omitempty" text:"free" validate:"omitempty,max=200000" maxLength:"200000" example:"<p>Bonjour {{.order.shipping_address.first_name}}</p>"`
} // @name NotificationTemplateInput

// parts are a template's three sources.
type parts struct {
	Subject, Text string
	HTML          *string
}

//go:embed templates
var defaultsFS embed.FS

// defaults holds the built-in templates by locale and name, loaded once.
var defaults = loadDefaults()

func loadDefaults() map[string]map[string]parts {
	out := map[string]map[string]parts{}
	for _, loc := range locale.Supported {
		out[loc] = map[string]parts{}
		for _, name := range TemplateNames {
			read := func(ext string) string {
				b, err := defaultsFS.ReadFile("templates/" + loc + "/" + name + "." + ext)
				if err != nil {
					panic(fmt.Sprintf("notify: built-in template %s/%s.%s is missing", loc, name, ext))
				}
				return string(b)
			}
			html := read("html")
			out[loc][name] = parts{Subject: strings.TrimSpace(read("subject")), Text: read("txt"), HTML: &html}
		}
	}
	return out
}

// defaultTemplate returns the built-in template of name in loc (a
// supported locale).
func defaultTemplate(name, loc string) parts { return defaults[loc][name] }
