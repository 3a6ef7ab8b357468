package web

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"storekeep/internal/catalog"
	"storekeep/internal/checkout"
)

// BenchmarkBindCheck measures what the raw-JSON pass (CheckJSON: key rules
// and text rules) adds to decoding a body, on two real request types: a
// product with three variants (a large admin body) and a cart address
// change (a typical storefront body). Compare decode with decode+check.
func BenchmarkBindCheck(b *testing.B) {
	product := []byte(`{"title":"Gentle Foaming Cleanser","handle":"gentle-foaming-cleanser","status":"published",
		"description":"A soft gel cleanser for every skin type.\nRinse with lukewarm water.","tags":["cleanser","vegan"],
		"attributes":{"skin_types":["dry","normal"],"vegan":true,"volume_ml":150},
		"options":[{"name":"Size","values":["50 ml","150 ml","300 ml"]}],
		"variants":[{"sku":"GFC-50","options":{"Size":"50 ml"},"prices":[{"amount":900,"currency":"EUR"},{"amount":1000,"currency":"USD"}],"weight_grams":80},
		{"sku":"GFC-150","options":{"Size":"150 ml"},"prices":[{"amount":1900,"currency":"EUR"},{"amount":2100,"currency":"USD"}],"weight_grams":180},
		{"sku":"GFC-300","options":{"Size":"300 ml"},"prices":[{"amount":2900,"currency":"EUR"},{"amount":3200,"currency":"USD"}],"weight_grams":340}],
		"seo":{"title":"Gentle Foaming Cleanser","description":"Soft gel cleanser"}}`)
	cart := []byte(`{"email":"camille@example.com","shipping_address":{"first_name":"Camille","last_name":"Martin",
		"line1":"12 rue de Rivoli","city":"Paris","postal_code":"75001","country_code":"FR"}}`)
	for _, tc := range []struct {
		name string
		body []byte
		new  func() any
	}{
		{"product", product, func() any { return &catalog.ProductInput{} }},
		{"cart_address", cart, func() any { return &checkout.CartPatch{} }},
	} {
		b.Run(tc.name+"/decode", func(b *testing.B) {
			for b.Loop() {
				dec := json.NewDecoder(bytes.NewReader(tc.body))
				dec.DisallowUnknownFields()
				if err := dec.Decode(tc.new()); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(tc.name+"/decode+check", func(b *testing.B) {
			for b.Loop() {
				dst := tc.new()
				dec := json.NewDecoder(bytes.NewReader(tc.body))
				dec.DisallowUnknownFields()
				if err := dec.Decode(dst); err != nil {
					b.Fatal(err)
				}
				r, err := CheckJSON(tc.body, reflect.TypeOf(dst))
				if err != nil || r.Err() != nil {
					b.Fatal(err, r.Err())
				}
			}
		})
	}
}
