package api_test

import (
	"net/http"
	"testing"

	"storekeep/api/apitest"
	"storekeep/internal/orders"
	"storekeep/internal/reviews"
)

// deliver fulfils, ships and delivers the order's lines listed in items
// (order item id -> quantity).
func (s *shop) deliver(orderID string, items map[string]int64) {
	s.t.Helper()
	var lines []map[string]any
	for id, q := range items {
		lines = append(lines, map[string]any{"item_id": id, "quantity": q})
	}
	base := "/v1/admin/orders/" + orderID
	var f orders.Fulfillment
	s.admin(http.MethodPost, base+"/fulfillments", map[string]any{"items": lines}).
		Expect(s.t, http.StatusCreated).JSON(s.t, &f)
	s.admin(http.MethodPost, base+"/fulfillments/"+f.ID+"/ship", map[string]any{"carrier": "Colissimo",
		"tracking_number": "6A1"}).Expect(s.t, http.StatusOK)
	s.admin(http.MethodPost, base+"/fulfillments/"+f.ID+"/deliver", nil).Expect(s.t, http.StatusOK)
}

func TestReviews(t *testing.T) {
	t.Parallel()
	s := newShop(t, 10, 10)
	buyer := s.customer()
	buyer.newCart()
	buyer.add(s.small, 1)
	buyer.add(s.large, 1)
	buyer.ready()
	o := buyer.placeOrder("reviews-1")
	var smallItem, largeItem orders.Item
	for _, it := range o.Items {
		if it.VariantID == s.small {
			smallItem = it
		} else {
			largeItem = it
		}
	}
	s.deliver(o.ID, map[string]int64{smallItem.ID: 1})
	path := "/v1/store/orders/" + o.ID + "/reviews"
	item := func(variant string, rating int) map[string]any {
		return map[string]any{"items": []map[string]any{{"variant_id": variant, "rating": rating, "title": "Lovely"}}}
	}

	// Bad input changes nothing.
	p := buyer.do(http.MethodPost, path, item(s.small, 6)).ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
	if len(p.Errors) != 1 || p.Errors[0].Field != "items[0].rating" {
		t.Fatalf("rating 6: %+v", p.Errors)
	}
	buyer.do(http.MethodPost, path, item(s.small, 0)).ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
	p = buyer.do(http.MethodPost, path, item(largeItem.VariantID, 5)).ExpectProblem(t, http.StatusUnprocessableEntity, "not_reviewable")
	if len(p.Errors) != 1 || p.Errors[0].Field != "items[0].variant_id" {
		t.Fatalf("not delivered: %+v", p.Errors)
	}
	other := newShop(t, 1, 0)
	buyer.do(http.MethodPost, path, item(other.small, 5)).ExpectProblem(t, http.StatusUnprocessableEntity, "not_reviewable")
	// All or nothing: one good item and one undelivered one write nothing.
	buyer.do(http.MethodPost, path, map[string]any{"items": []map[string]any{{"variant_id": s.small, "rating": 5},
		{"variant_id": s.large, "rating": 5}}}).ExpectProblem(t, http.StatusUnprocessableEntity, "not_reviewable")
	s.customer().do(http.MethodPost, path, item(s.small, 5)).ExpectProblem(t, http.StatusNotFound, "not_found")
	s.h.Do(apitest.Request{Method: http.MethodPost, Path: path, Body: item(s.small, 5)}).Expect(t, http.StatusUnauthorized)
	var pending AdminReviewPage
	s.admin(http.MethodGet, "/v1/admin/reviews?status=pending", nil).Expect(t, http.StatusOK).JSON(t, &pending)
	for _, r := range pending.Data {
		if r.OrderID == o.ID {
			t.Fatalf("a refused request wrote a review: %+v", r)
		}
	}

	var created struct{ Data []reviews.Review }
	buyer.do(http.MethodPost, path, item(s.small, 4)).Expect(t, http.StatusCreated).JSON(t, &created)
	if len(created.Data) != 1 || created.Data[0].Status != "pending" || created.Data[0].ProductID != smallItem.ProductID {
		t.Fatalf("created: %+v", created)
	}
	rev := created.Data[0]
	buyer.do(http.MethodPost, path, item(s.small, 5)).ExpectProblem(t, http.StatusConflict, "already_reviewed")

	// Pending reviews are not shown.
	var list struct{ Data []reviews.Review }
	reviewsPath := "/v1/store/products/" + rev.ProductID + "/reviews"
	buyer.do(http.MethodGet, reviewsPath, nil).Expect(t, http.StatusOK).JSON(t, &list)
	if len(list.Data) != 0 {
		t.Fatalf("pending review listed: %+v", list.Data)
	}

	// Moderation.
	s.admin(http.MethodPatch, "/v1/admin/reviews/"+rev.ID, map[string]any{"status": "maybe"}).
		ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
	s.h.Do(apitest.Request{Method: http.MethodPatch, Path: "/v1/admin/reviews/" + rev.ID, Token: s.h.StaffToken(t, "warehouse"),
		Body: map[string]any{"status": "approved"}}).Expect(t, http.StatusForbidden)
	var mod reviews.AdminReview
	s.h.Do(apitest.Request{Method: http.MethodPatch, Path: "/v1/admin/reviews/" + rev.ID, Token: s.h.StaffToken(t, "support"),
		Body: map[string]any{"status": "approved", "reason": "fine"}}).Expect(t, http.StatusOK).JSON(t, &mod)
	if mod.Status != "approved" || mod.ModerationReason != "fine" || mod.ModeratedAt == nil {
		t.Fatalf("moderated: %+v", mod)
	}
	buyer.do(http.MethodGet, reviewsPath, nil).Expect(t, http.StatusOK).JSON(t, &list)
	if len(list.Data) != 1 || list.Data[0].Rating != 4 || list.Data[0].Title != "Lovely" {
		t.Fatalf("approved list: %+v", list.Data)
	}
	var prod struct{ Rating reviews.Rating }
	buyer.do(http.MethodGet, "/v1/store/products/"+rev.ProductID, nil).Expect(t, http.StatusOK).JSON(t, &prod)
	if prod.Rating != (reviews.Rating{Average: 4, Count: 1}) {
		t.Fatalf("rating: %+v", prod.Rating)
	}
	s.admin(http.MethodPatch, "/v1/admin/reviews/"+rev.ID, map[string]any{"status": "rejected", "reason": "off topic"}).
		Expect(t, http.StatusOK)
	buyer.do(http.MethodGet, "/v1/store/products/"+rev.ProductID, nil).Expect(t, http.StatusOK).JSON(t, &prod)
	if prod.Rating.Count != 0 {
		t.Fatalf("rejected review counted: %+v", prod.Rating)
	}
	s.admin(http.MethodGet, "/v1/admin/reviews?status=unknown", nil).ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
}

// AdminReviewPage is a page of /v1/admin/reviews.
type AdminReviewPage struct{ Data []reviews.AdminReview }
