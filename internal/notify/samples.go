package notify

import "fmt"

// The sample data every template is checked against when staff save it,
// and previewed with when no data is given: the variables its real
// messages carry (docs/email.md lists them), optional fields included.

const sampleCustomer = `{"id": "cus_06h1wbq28dxanf5st2bqp8yfxm", "email": "camille@example.com",
	"first_name": "Camille", "last_name": "Martin", "locale": "fr"}`

const sampleOrder = `{
	"id": "order_06h1wbq28dxanf5st2bqp8yfxm", "number": "SK-1001", "status": "confirmed",
	"payment_status": "authorized", "fulfillment_status": "unfulfilled",
	"customer_id": "cus_06h1wbq28dxanf5st2bqp8yfxm", "email": "camille@example.com", "locale": "fr",
	"currency": "EUR",
	"items": [
		{"id": "oitem_06h1wbq28dxanf5st2bqp8yfxa", "variant_id": "var_06h1wbq28dxanf5st2bqp8yfxa",
		 "product_id": "prod_06h1wbq28dxanf5st2bqp8yfxa", "sku": "GEL-150", "title": "Gentle Gel Cleanser - 150 ml",
		 "quantity": 2, "unit_price": {"amount": 1450, "currency": "EUR"}, "subtotal": {"amount": 2900, "currency": "EUR"},
		 "discount_total": {"amount": 435, "currency": "EUR"}, "tax_total": {"amount": 411, "currency": "EUR"},
		 "total": {"amount": 2465, "currency": "EUR"}, "fulfilled_quantity": 0, "returned_quantity": 0, "canceled_quantity": 0},
		{"id": "oitem_06h1wbq28dxanf5st2bqp8yfxb", "variant_id": "var_06h1wbq28dxanf5st2bqp8yfxb",
		 "product_id": "prod_06h1wbq28dxanf5st2bqp8yfxb", "sku": "ROSE-200", "title": "Rose Water Toner - 200 ml",
		 "quantity": 1, "unit_price": {"amount": 1800, "currency": "EUR"}, "subtotal": {"amount": 1800, "currency": "EUR"},
		 "discount_total": {"amount": 270, "currency": "EUR"}, "tax_total": {"amount": 255, "currency": "EUR"},
		 "total": {"amount": 1530, "currency": "EUR"}, "fulfilled_quantity": 0, "returned_quantity": 0, "canceled_quantity": 0}
	],
	"discounts": [{"code": "WELCOME15", "type": "percentage", "amount": {"amount": 705, "currency": "EUR"}}],
	"shipping_address": {"first_name": "Camille", "last_name": "Martin", "company": "Atelier Martin",
		"line1": "12 rue de Rivoli", "line2": "3e étage", "city": "Paris", "province": "Île-de-France",
		"postal_code": "75001", "country_code": "FR", "phone": "+33 1 23 45 67 89"},
	"billing_address": {"first_name": "Camille", "last_name": "Martin", "company": "Atelier Martin",
		"line1": "12 rue de Rivoli", "line2": "3e étage", "city": "Paris", "province": "Île-de-France",
		"postal_code": "75001", "country_code": "FR", "phone": "+33 1 23 45 67 89"},
	"shipping_method": {"shipping_option_id": "so_06h1wbq28dxanf5st2bqp8yfxm", "name": "Colissimo",
		"amount": {"amount": 490, "currency": "EUR"}},
	"tax_inclusive": true,
	"subtotal": {"amount": 4700, "currency": "EUR"}, "discount_total": {"amount": 705, "currency": "EUR"},
	"shipping_total": {"amount": 490, "currency": "EUR"}, "tax_total": {"amount": 748, "currency": "EUR"},
	"tax_lines": [{"name": "European Union", "rate": 2000, "applies_to": "items", "amount": {"amount": 666, "currency": "EUR"}},
		{"name": "European Union", "rate": 2000, "applies_to": "shipping", "amount": {"amount": 82, "currency": "EUR"}}],
	"total": {"amount": 4485, "currency": "EUR"}, "canceled_total": {"amount": 0, "currency": "EUR"},
	"expires_at": null, "canceled_at": null,
	"created_at": "2025-03-05T10:30:00Z", "updated_at": "2025-03-05T10:30:00Z"}`

const samplePromotion = `{"id": "promo_06h1wbq28dxanf5st2bqp8yfxm", "code": "THANKS-7QK2M9", "type": "percentage",
	"percentage": 1500, "amounts": [], "min_subtotals": [], "starts_at": "2025-03-05T10:30:00Z",
	"ends_at": "2025-04-04T10:30:00Z", "usage_limit": 1, "per_customer_limit": 1, "usage_count": 0,
	"product_ids": [], "category_ids": [], "customer_group_ids": [], "combinable": false, "active": true,
	"created_at": "2025-03-05T10:30:00Z", "updated_at": "2025-03-05T10:30:00Z"}`

const sampleCart = `{"id": "cart_06h1wbq28dxanf5st2bqp8yfxm", "customer_id": "cus_06h1wbq28dxanf5st2bqp8yfxm",
	"email": "camille@example.com", "currency": "EUR", "region_id": "reg_06h1wbq28dxanf5st2bqp8yfxm", "status": "open",
	"items": [{"id": "citem_06h1wbq28dxanf5st2bqp8yfxa", "variant_id": "var_06h1wbq28dxanf5st2bqp8yfxa",
		"product_id": "prod_06h1wbq28dxanf5st2bqp8yfxa", "sku": "GEL-150", "title": "Gentle Gel Cleanser - 150 ml",
		"quantity": 1, "unit_price": {"amount": 1450, "currency": "EUR"}, "subtotal": {"amount": 1450, "currency": "EUR"},
		"discount_total": {"amount": 0, "currency": "EUR"}, "tax_total": {"amount": 242, "currency": "EUR"},
		"total": {"amount": 1450, "currency": "EUR"}, "available": true}],
	"discounts": [], "shipping_method": null, "shipping_address": null, "billing_address": null, "tax_inclusive": true,
	"subtotal": {"amount": 1450, "currency": "EUR"}, "discount_total": {"amount": 0, "currency": "EUR"},
	"shipping_total": {"amount": 0, "currency": "EUR"}, "tax_total": {"amount": 242, "currency": "EUR"}, "tax_lines": [],
	"total": {"amount": 1450, "currency": "EUR"}, "order_id": null,
	"created_at": "2025-03-05T09:00:00Z", "updated_at": "2025-03-05T09:10:00Z", "completed_at": null}`

// sampleJSON is each template's sample variables (without "shop", which
// every message gets).
var sampleJSON = map[string]string{
	TemplateOrderConfirmation: `{"order": ` + sampleOrder + `, "customer": ` + sampleCustomer + `}`,
	TemplateOrderShipped: `{"order": ` + sampleOrder + `, "customer": ` + sampleCustomer + `,
		"shipments": [{"carrier": "Colissimo", "tracking_number": "6A12345678901",
			"tracking_url": "https://www.laposte.fr/outils/suivre-vos-envois?code=6A12345678901",
			"shipped_at": "2025-03-06T15:00:00Z",
			"items": [{"title": "Gentle Gel Cleanser - 150 ml", "quantity": 2}, {"title": "Rose Water Toner - 200 ml", "quantity": 1}]}]}`,
	TemplateRefundIssued: `{"order": ` + sampleOrder + `, "customer": ` + sampleCustomer + `,
		"refund": {"id": "rfd_06h1wbq28dxanf5st2bqp8yfxm", "order_id": "order_06h1wbq28dxanf5st2bqp8yfxm",
			"payment_id": "pay_06h1wbq28dxanf5st2bqp8yfxm", "return_id": null, "amount": {"amount": 1530, "currency": "EUR"},
			"reason": "damaged in transit", "actor": "stf_06h1wbq28dxanf5st2bqp8yfxm", "created_at": "2025-03-08T09:00:00Z"}}`,
	TemplateSupportReply: `{"customer": ` + sampleCustomer + `,
		"conversation": {"id": "conv_06h1wbq28dxanf5st2bqp8yfxm", "subject": "Where is my order?", "status": "pending"},
		"messages": [{"id": "msg_06h1wbq28dxanf5st2bqp8yfxm", "author": "agent",
			"body": "Hello Camille, your parcel left our warehouse this morning.\nHave a nice day!",
			"created_at": "2025-03-06T16:00:00Z"}]}`,
	TemplateDiscountIssued: `{"customer": ` + sampleCustomer + `, "promotion": ` + samplePromotion + `,
		"source": "automation", "automation_id": "auto_06h1wbq28dxanf5st2bqp8yfxm"}`,
	TemplateLoyaltyTierChanged: `{"customer": ` + sampleCustomer + `,
		"tier": {"key": "gold", "name": "Gold", "perks": "Free shipping on every order"},
		"previous_tier": {"key": "silver", "name": "Silver", "perks": ""}, "points": 1250}`,
	TemplateCartReminder: `{"customer": ` + sampleCustomer + `, "cart": ` + sampleCart + `}`,
}

// sampleData returns a fresh copy of name's sample variables.
func sampleData(name string) map[string]any {
	m, err := decodeData(sampleJSON[name])
	if err != nil {
		panic(fmt.Sprintf("notify: sample data of %s: %v", name, err))
	}
	return m
}
