package main

import (
	"fmt"
	"net/http"

	"storekeep/internal/demo"
)

// seedDemoSupport opens the demo's support conversations through the real
// API, as the storefront and the agent inbox would: Camille's conversation
// about a delivered order, answered by the support agent, closed and rated
// 5; and a guest's conversation (in French) that asks for a person and waits
// for an agent.
func seedDemoSupport(c *inProcess) error {
	var login struct {
		AccessToken string `json:"access_token"`
		Staff       struct {
			ID string `json:"id"`
		} `json:"staff"`
	}
	if err := c.do(http.MethodPost, "/v1/auth/customers/login", "", map[string]string{"email": demo.CustomerEmail,
		"password": demo.CustomerPassword}, &login); err != nil {
		return err
	}
	customer := login.AccessToken
	if err := c.do(http.MethodPost, "/v1/auth/staff/login", "", map[string]string{"email": demo.SupportEmail,
		"password": demo.SupportPassword}, &login); err != nil {
		return err
	}
	agent := login.AccessToken
	var orders struct {
		Data []struct {
			ID                string `json:"id"`
			FulfillmentStatus string `json:"fulfillment_status"`
		} `json:"data"`
	}
	if err := c.do(http.MethodGet, "/v1/store/orders", customer, nil, &orders); err != nil {
		return err
	}
	orderID := ""
	for _, o := range orders.Data {
		if o.FulfillmentStatus == "delivered" {
			orderID = o.ID
			break
		}
	}
	if orderID == "" {
		return fmt.Errorf("no delivered demo order to talk about")
	}
	var started struct {
		Conversation struct {
			ID string `json:"id"`
		} `json:"conversation"`
	}
	if err := c.do(http.MethodPost, "/v1/store/support/conversations", customer, map[string]any{
		"subject": "Broken pump", "order_id": orderID,
		"message": "Hello! My order arrived but the pump of the cleanser does not work. Could a person help me?",
	}, &started); err != nil {
		return err
	}
	conv := "/v1/admin/support/conversations/" + started.Conversation.ID
	for _, step := range []struct {
		path string
		body any
	}{
		{conv + "/assign", map[string]any{"staff_id": login.Staff.ID}},
		{conv + "/read", map[string]any{"seq": 1}},
		{conv + "/messages", map[string]any{"body": "Sorry about that, Camille! A new bottle is on its way, no need to send the old one back."}},
		{conv + "/messages", map[string]any{"body": "Replacement sent with the next parcel run.", "internal": true}},
		{conv + "/close", nil},
	} {
		if err := c.do(http.MethodPost, step.path, agent, step.body, nil); err != nil {
			return err
		}
	}
	if err := c.do(http.MethodPost, "/v1/store/support/conversations/"+started.Conversation.ID+"/rating", customer,
		map[string]any{"score": 5, "comment": "Quick and kind, thank you!"}, nil); err != nil {
		return err
	}
	return c.do(http.MethodPost, "/v1/store/support/conversations", "", map[string]any{
		"email": "lea@example.com", "locale": "fr", "subject": "Réaction au sérum",
		"message": "Bonjour, je voudrais parler à un conseiller : ma peau rougit depuis que j'utilise le sérum.",
	}, nil)
}
