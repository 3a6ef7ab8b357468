package api_test

import (
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"storekeep/api/apitest"
	"storekeep/api/store"
)

// feedItem is an <item> of the Google Merchant feed.
type feedItem struct {
	ID           string `xml:"http://base.google.com/ns/1.0 id"`
	GroupID      string `xml:"http://base.google.com/ns/1.0 item_group_id"`
	Title        string `xml:"http://base.google.com/ns/1.0 title"`
	Description  string `xml:"http://base.google.com/ns/1.0 description"`
	Link         string `xml:"http://base.google.com/ns/1.0 link"`
	ImageLink    string `xml:"http://base.google.com/ns/1.0 image_link"`
	Availability string `xml:"http://base.google.com/ns/1.0 availability"`
	Price        string `xml:"http://base.google.com/ns/1.0 price"`
	Brand        string `xml:"http://base.google.com/ns/1.0 brand"`
	Condition    string `xml:"http://base.google.com/ns/1.0 condition"`
	GTIN         string `xml:"http://base.google.com/ns/1.0 gtin"`
}

type feedDoc struct {
	XMLName xml.Name `xml:"rss"`
	Version string   `xml:"version,attr"`
	Channel struct {
		Title string     `xml:"title"`
		Link  string     `xml:"link"`
		Items []feedItem `xml:"item"`
	} `xml:"channel"`
}

// feed reads a channel's XML feed (query after "?") with key and parses it
// with encoding/xml, namespaces resolved.
func feed(t *testing.T, h *apitest.Harness, query, key string) (feedDoc, *apitest.Response) {
	t.Helper()
	res := storeGet(h, "/v1/store/feeds/products.xml?"+query, key).Expect(t, http.StatusOK)
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/rss+xml") {
		t.Errorf("Content-Type = %q", ct)
	}
	var d feedDoc
	if err := xml.Unmarshal(res.Body, &d); err != nil {
		t.Fatalf("feed is not XML: %v\n%s", err, res.Body)
	}
	if d.Version != "2.0" || !bytes.Contains(res.Body, []byte(`xmlns:g="http://base.google.com/ns/1.0"`)) {
		t.Errorf("not an RSS 2.0 Google feed:\n%s", res.Body)
	}
	for _, it := range d.Channel.Items {
		for name, v := range map[string]string{"id": it.ID, "title": it.Title, "description": it.Description,
			"link": it.Link, "image_link": it.ImageLink, "availability": it.Availability, "price": it.Price,
			"brand": it.Brand, "condition": it.Condition, "item_group_id": it.GroupID} {
			if v == "" {
				t.Errorf("item %s has no g:%s", it.ID, name)
			}
		}
	}
	return d, res
}

// The feed lists the channel's products, one item per variant with every
// required field, priced as the catalog prices them, with availability
// over the channel's warehouses; products off the channel are absent.
func TestProductFeed(t *testing.T) {
	s := newChannelShop(t)
	s.admin(t, http.MethodPatch, "/v1/admin/products/"+s.aurora, map[string]any{
		"attributes": map[string]any{"brand": "Aurora Labs", "gtin": "4006381333931"}}).Expect(t, http.StatusOK)

	// The catalog's own prices, as A's storefront sees them.
	var l struct {
		Data []channelProduct `json:"data"`
	}
	storeGet(s.h, "/v1/store/products?currency=EUR", s.keyA).Expect(t, http.StatusOK).JSON(t, &l)
	catalogPrice := map[string]string{}
	for _, p := range l.Data {
		for _, v := range p.Variants {
			pr := v.Prices[0]
			catalogPrice[v.ID] = fmt.Sprintf("%d.%02d %s", pr.Amount/100, pr.Amount%100, pr.Currency)
		}
	}

	d, res := feed(t, s.h, "sales_channel="+s.chA.ID+"&currency=EUR", "")
	got := map[string]feedItem{}
	for _, it := range d.Channel.Items {
		got[it.ID] = it
	}
	if len(got) != 2 {
		t.Fatalf("A's feed has %d items, want aurora and borealis:\n%s", len(got), res.Body)
	}
	aur, bor := got[s.auroraVar], got[s.borealisVar]
	if aur.Availability != "in_stock" || bor.Availability != "out_of_stock" {
		t.Errorf("availability aurora %q, borealis %q; want in_stock, out_of_stock (A's warehouse has none of borealis)",
			aur.Availability, bor.Availability)
	}
	for v, it := range got {
		if it.Price != catalogPrice[v] {
			t.Errorf("item %s price %q, catalog %q", v, it.Price, catalogPrice[v])
		}
	}
	if aur.Price != "19.99 EUR" || aur.GroupID != s.aurora || aur.Brand != "Aurora Labs" || aur.GTIN != "4006381333931" ||
		aur.Link != "http://localhost:3000/products/"+s.auroraHandle || aur.Condition != "new" {
		t.Errorf("aurora item = %+v", aur)
	}
	if bor.Brand != "Storekeep" {
		t.Errorf("borealis brand %q, want the shop's name", bor.Brand)
	}

	// B's key, no sales_channel: B's products, B's stock.
	d, _ = feed(t, s.h, "currency=eur", s.keyB)
	if len(d.Channel.Items) != 1 || d.Channel.Items[0].ID != s.borealisVar || d.Channel.Items[0].Availability != "in_stock" {
		t.Errorf("B's feed = %+v, want borealis in stock only", d.Channel.Items)
	}
	// No key, no channel: the default web channel (the web toner only).
	d, _ = feed(t, s.h, "currency=EUR", "")
	if len(d.Channel.Items) != 1 || d.Channel.Items[0].ID != s.webVariantID {
		t.Errorf("the default feed = %+v, want the web toner only", d.Channel.Items)
	}
	// Another currency: nothing is priced in it.
	if d, _ = feed(t, s.h, "sales_channel="+s.chA.ID+"&currency=USD", ""); len(d.Channel.Items) != 0 {
		t.Errorf("USD feed has %d items", len(d.Channel.Items))
	}

	// Cached: the same ETag, and 304 for a client that holds it.
	etag := res.Header.Get("ETag")
	again := storeGet(s.h, "/v1/store/feeds/products.xml?sales_channel="+s.chA.ID+"&currency=EUR", "").Expect(t, http.StatusOK)
	if etag == "" || again.Header.Get("ETag") != etag {
		t.Errorf("ETags %q / %q", etag, again.Header.Get("ETag"))
	}
	s.h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/store/feeds/products.xml?sales_channel=" + s.chA.ID + "&currency=EUR",
		Header: map[string]string{"If-None-Match": etag}}).Expect(t, http.StatusNotModified)

	// CSV: the same items, RFC 4180.
	csvRes := storeGet(s.h, "/v1/store/feeds/products.csv?sales_channel="+s.chA.ID+"&currency=EUR", "").Expect(t, http.StatusOK)
	if ct := csvRes.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Errorf("CSV Content-Type = %q", ct)
	}
	rows, err := csv.NewReader(bytes.NewReader(csvRes.Body)).ReadAll()
	if err != nil {
		t.Fatalf("CSV: %v\n%s", err, csvRes.Body)
	}
	if d := cmp.Diff(store.FeedColumns, rows[0]); d != "" {
		t.Errorf("CSV header (-want +got):\n%s", d)
	}
	if len(rows) != 3 {
		t.Fatalf("CSV has %d rows, want a header and 2 items:\n%s", len(rows), csvRes.Body)
	}
	for _, r := range rows[1:] {
		it := got[r[0]]
		want := []string{it.ID, it.GroupID, it.Title, it.Description, it.Link, it.ImageLink, it.Availability, it.Price,
			it.Brand, it.GTIN, "", "new"}
		if d := cmp.Diff(want, r); d != "" {
			t.Errorf("CSV row of %s differs from the XML item (-xml +csv):\n%s", r[0], d)
		}
	}
}

func TestProductFeedBadInput(t *testing.T) {
	s := newChannelShop(t)
	for _, tc := range []struct {
		query  string
		status int
		code   string
	}{
		{"currency=EUR&sales_channel=sc_01jq3v6m2b8k9x7c5d4e3f2g1h", http.StatusNotFound, "sales_channel_not_found"},
		{"currency=EUR&sales_channel=nope", http.StatusNotFound, "sales_channel_not_found"},
		{"currency=EURO&sales_channel=" + s.chA.ID, http.StatusUnprocessableEntity, "validation_failed"},
		{"sales_channel=" + s.chA.ID, http.StatusUnprocessableEntity, "validation_failed"},
	} {
		for _, path := range []string{"/v1/store/feeds/products.xml?", "/v1/store/feeds/products.csv?"} {
			storeGet(s.h, path+tc.query, "").ExpectProblem(t, tc.status, tc.code)
		}
	}
	// A deactivated channel's feed is refused like its keys.
	s.admin(t, http.MethodPatch, "/v1/admin/sales-channels/"+s.chB.ID, map[string]any{"active": false}).Expect(t, http.StatusOK)
	storeGet(s.h, "/v1/store/feeds/products.xml?currency=EUR&sales_channel="+s.chB.ID, "").
		ExpectProblem(t, http.StatusForbidden, "sales_channel_inactive")
}
