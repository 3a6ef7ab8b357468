package store_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"storekeep/api/apitest"
	"storekeep/internal/customers"
)

const addrURL = meURL + "/addresses"

// missingAddr is a well-formed address id no row has.
const missingAddr = "addr_06h1wbq28dxanf5st2bqp8yfxm"

func paris(extra map[string]any) map[string]any {
	m := map[string]any{"first_name": "Camille", "last_name": "Martin", "line1": "12 rue de Rivoli",
		"city": "Paris", "postal_code": "75001", "country_code": "fr"}
	for k, v := range extra {
		m[k] = v
	}
	return m
}

func (s shopper) addAddress(body map[string]any) customers.Address {
	s.t.Helper()
	var a customers.Address
	s.do(http.MethodPost, addrURL, body).Expect(s.t, http.StatusCreated).JSON(s.t, &a)
	return a
}

func (s shopper) addresses() []customers.Address {
	s.t.Helper()
	var l struct {
		Data       []customers.Address `json:"data"`
		NextCursor *string             `json:"next_cursor"`
	}
	s.do(http.MethodGet, addrURL+"?limit=100", nil).Expect(s.t, http.StatusOK).JSON(s.t, &l)
	return l.Data
}

// defaults maps address id -> "S"/"B"/"SB"/"" for its default flags.
func defaults(as []customers.Address) map[string]string {
	m := map[string]string{}
	for _, a := range as {
		f := ""
		if a.IsDefaultShipping {
			f += "S"
		}
		if a.IsDefaultBilling {
			f += "B"
		}
		m[a.ID] = f
	}
	return m
}

func TestAddressBook(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	a := newShopper(t, h)

	home := a.addAddress(paris(map[string]any{"company": " Atelier ", "phone": "+33 1 23 45 67 89"}))
	if !strings.HasPrefix(home.ID, "addr_") || home.CountryCode != "FR" || home.Company != "Atelier" ||
		!home.IsDefaultShipping || !home.IsDefaultBilling {
		t.Fatalf("first address = %+v (want normalized, both defaults)", home)
	}
	office := a.addAddress(paris(map[string]any{"line1": "1 avenue Foch", "is_default_shipping": true}))
	third := a.addAddress(paris(map[string]any{"line1": "3 quai Voltaire"}))
	want := map[string]string{home.ID: "B", office.ID: "S", third.ID: ""}
	if d := cmp.Diff(want, defaults(a.addresses())); d != "" {
		t.Fatalf("after a new default shipping address (-want +got)\n%s", d)
	}

	// Flip both defaults onto the third address in one patch.
	var got customers.Address
	a.do(http.MethodPatch, addrURL+"/"+third.ID, map[string]any{"is_default_billing": true,
		"is_default_shipping": true, "city": "Lyon", "postal_code": "69001"}).Expect(t, http.StatusOK).JSON(t, &got)
	if got.City != "Lyon" || got.PostalCode != "69001" || got.Line1 != "3 quai Voltaire" || got.FirstName != "Camille" {
		t.Fatalf("patched = %+v", got)
	}
	want = map[string]string{home.ID: "", office.ID: "", third.ID: "SB"}
	if d := cmp.Diff(want, defaults(a.addresses())); d != "" {
		t.Fatalf("after flipping both defaults (-want +got)\n%s", d)
	}
	var read customers.Address
	a.do(http.MethodGet, addrURL+"/"+third.ID, nil).Expect(t, http.StatusOK).JSON(t, &read)
	if d := cmp.Diff(got, read); d != "" {
		t.Fatalf("read back (-want +got)\n%s", d)
	}
	// Unsetting a default leaves the customer without one.
	a.do(http.MethodPatch, addrURL+"/"+third.ID, map[string]any{"is_default_billing": false}).Expect(t, http.StatusOK)
	want[third.ID] = "S"
	if d := cmp.Diff(want, defaults(a.addresses())); d != "" {
		t.Fatalf("after unsetting billing (-want +got)\n%s", d)
	}

	a.do(http.MethodDelete, addrURL+"/"+office.ID, nil).Expect(t, http.StatusNoContent)
	a.do(http.MethodGet, addrURL+"/"+office.ID, nil).ExpectProblem(t, http.StatusNotFound, "not_found")
	a.do(http.MethodDelete, addrURL+"/"+office.ID, nil).ExpectProblem(t, http.StatusNotFound, "not_found")
	var ids []string
	for _, x := range a.addresses() {
		ids = append(ids, x.ID)
	}
	if d := cmp.Diff([]string{home.ID, third.ID}, ids); d != "" {
		t.Fatalf("list after delete (-want +got)\n%s", d)
	}

	// Pages of the list.
	var p1 struct {
		Data       []customers.Address `json:"data"`
		NextCursor *string             `json:"next_cursor"`
	}
	a.do(http.MethodGet, addrURL+"?limit=1", nil).Expect(t, http.StatusOK).JSON(t, &p1)
	if len(p1.Data) != 1 || p1.Data[0].ID != home.ID || p1.NextCursor == nil {
		t.Fatalf("first page = %+v", p1)
	}
	a.do(http.MethodGet, addrURL+"?limit=1&cursor="+*p1.NextCursor, nil).Expect(t, http.StatusOK).JSON(t, &p1)
	if len(p1.Data) != 1 || p1.Data[0].ID != third.ID || p1.NextCursor != nil {
		t.Fatalf("second page = %+v", p1)
	}
}

// TestAddressBOLA: customer B cannot read, change or delete A's address, and
// the answer is the same as for an address that does not exist (OWASP API1).
func TestAddressBOLA(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	a, b := newShopper(t, h), newShopper(t, h)
	mine := a.addAddress(paris(nil))
	b.addAddress(paris(map[string]any{"line1": "B's street"}))
	ignore := cmpopts.IgnoreFields(apitest.Problem{}, "RequestID")
	for _, m := range []string{http.MethodGet, http.MethodPatch, http.MethodDelete} {
		t.Run(m, func(t *testing.T) {
			body := map[string]any{"city": "Hacked", "is_default_shipping": true}
			if m != http.MethodPatch {
				body = nil
			}
			foreign := b.do(m, addrURL+"/"+mine.ID, body).ExpectProblem(t, http.StatusNotFound, "not_found")
			missing := b.do(m, addrURL+"/"+missingAddr, body).ExpectProblem(t, http.StatusNotFound, "not_found")
			if d := cmp.Diff(missing, foreign, ignore); d != "" {
				t.Errorf("foreign vs missing answer (-missing +foreign)\n%s", d)
			}
			var again customers.Address
			a.do(http.MethodGet, addrURL+"/"+mine.ID, nil).Expect(t, http.StatusOK).JSON(t, &again)
			if d := cmp.Diff(mine, again); d != "" {
				t.Errorf("A's address changed (-before +after)\n%s", d)
			}
		})
	}
	for _, s := range []shopper{a, b} {
		l := s.addresses()
		if len(l) != 1 {
			t.Fatalf("%s sees %d addresses, want only their own", s.id, len(l))
		}
	}
	if a.addresses()[0].ID != mine.ID || b.addresses()[0].ID == mine.ID {
		t.Fatal("lists mix customers' addresses")
	}
}

func TestAddressBadInput(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	a := newShopper(t, h)
	existing := a.addAddress(paris(nil))
	tests := []struct {
		name   string
		method string
		path   string
		body   any
		status int
		code   string
		fields []string
	}{
		{"missing fields", http.MethodPost, addrURL, map[string]any{"first_name": "Camille", "country_code": "FR"},
			422, "validation_failed", []string{"last_name", "line1", "city", "postal_code"}},
		{"blank after trimming", http.MethodPost, addrURL, paris(map[string]any{"city": "   "}),
			422, "validation_failed", []string{"city"}},
		{"unknown country", http.MethodPost, addrURL, paris(map[string]any{"country_code": "EU"}),
			422, "validation_failed", []string{"country_code"}},
		{"too long", http.MethodPost, addrURL, paris(map[string]any{"line1": strings.Repeat("x", 201),
			"postal_code": strings.Repeat("9", 21)}), 422, "validation_failed", []string{"line1", "postal_code"}},
		{"unknown field", http.MethodPost, addrURL, paris(map[string]any{"customer_id": "cus_06h1wbq28dxanf5st2bqp8yfxm"}),
			400, "malformed_request", nil},
		{"id in body", http.MethodPost, addrURL, paris(map[string]any{"id": missingAddr}), 400, "malformed_request", nil},
		{"not JSON", http.MethodPost, addrURL, "nope", 400, "malformed_request", nil},
		{"patch to bad country", http.MethodPatch, addrURL + "/" + existing.ID,
			map[string]any{"country_code": "ZZ", "city": "Lyon"}, 422, "validation_failed", []string{"country_code"}},
		{"patch blanks a required field", http.MethodPatch, addrURL + "/" + existing.ID,
			map[string]any{"line1": ""}, 422, "validation_failed", []string{"line1"}},
		{"patch unknown field", http.MethodPatch, addrURL + "/" + existing.ID,
			map[string]any{"customer_id": "cus_06h1wbq28dxanf5st2bqp8yfxm"}, 400, "malformed_request", nil},
		{"malformed id", http.MethodGet, addrURL + "/42", nil, 404, "not_found", nil},
		{"another kind of id", http.MethodGet, addrURL + "/" + a.id, nil, 404, "not_found", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := h.RowCounts(t, "customer_addresses")
			p := a.do(tt.method, tt.path, tt.body).ExpectProblem(t, tt.status, tt.code)
			if tt.fields != nil {
				if d := cmp.Diff(tt.fields, problemFields(p)); d != "" {
					t.Errorf("fields (-want +got)\n%s", d)
				}
			}
			if d := cmp.Diff(before, h.RowCounts(t, "customer_addresses")); d != "" {
				t.Errorf("rows changed (-before +after)\n%s", d)
			}
			if d := cmp.Diff([]customers.Address{existing}, a.addresses()); d != "" {
				t.Errorf("address book changed (-before +after)\n%s", d)
			}
		})
	}
}

// TestAddressLimit fills a book to MaxAddresses with the last additions
// racing each other: the count runs under the customer's row lock, so exactly
// the free slots are taken and the rest get 422.
func TestAddressLimit(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	a := newShopper(t, h)
	const racing = 20
	for i := range customers.MaxAddresses - racing/2 {
		a.addAddress(paris(map[string]any{"line1": fmt.Sprintf("%d rue de Rivoli", i+1)}))
	}
	statuses := make([]int, racing)
	var wg sync.WaitGroup
	for i := range racing {
		wg.Go(func() {
			res := h.Do(apitest.Request{Method: http.MethodPost, Path: addrURL, Token: a.token,
				Body: paris(map[string]any{"line1": fmt.Sprintf("%d quai Voltaire", i+1)})})
			statuses[i] = res.Status
		})
	}
	wg.Wait()
	count := map[int]int{}
	for _, st := range statuses {
		count[st]++
	}
	if d := cmp.Diff(map[int]int{http.StatusCreated: racing / 2, http.StatusUnprocessableEntity: racing / 2}, count); d != "" {
		t.Fatalf("racing additions (-want +got statuses)\n%s", d)
	}
	a.do(http.MethodPost, addrURL, paris(nil)).ExpectProblem(t, http.StatusUnprocessableEntity, "address_limit_reached")
	if got := h.RowCounts(t, "customer_addresses")["customer_addresses"]; got != customers.MaxAddresses {
		t.Fatalf("%d addresses stored, want %d", got, customers.MaxAddresses)
	}
	// The limit is per customer.
	newShopper(t, h).addAddress(paris(nil))
}

func TestAddressAccess(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	staff := h.StaffToken(t, "support")
	h.Do(apitest.Request{Method: http.MethodGet, Path: addrURL}).ExpectProblem(t, http.StatusUnauthorized, "unauthenticated")
	h.Do(apitest.Request{Method: http.MethodPost, Path: addrURL, Body: paris(nil), Token: staff}).
		ExpectProblem(t, http.StatusForbidden, "forbidden")
	if n := h.RowCounts(t, "customer_addresses")["customer_addresses"]; n != 0 {
		t.Fatalf("%d addresses written", n)
	}
}

// TestDefaultFlipsRace: parallel patches each making a different address the
// default all succeed, and exactly one default of each kind remains.
func TestDefaultFlipsRace(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	a := newShopper(t, h)
	var ids []string
	for i := range 8 {
		ids = append(ids, a.addAddress(paris(map[string]any{"line1": fmt.Sprintf("%d rue du Bac", i+1)})).ID)
	}
	statuses := make([]int, len(ids))
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Go(func() {
			statuses[i] = h.Do(apitest.Request{Method: http.MethodPatch, Path: addrURL + "/" + id, Token: a.token,
				Body: map[string]any{"is_default_shipping": true, "is_default_billing": true}}).Status
		})
	}
	wg.Wait()
	for i, st := range statuses {
		if st != http.StatusOK {
			t.Errorf("patch %d: status %d", i, st)
		}
	}
	ship, bill := 0, 0
	for _, x := range a.addresses() {
		if x.IsDefaultShipping {
			ship++
		}
		if x.IsDefaultBilling {
			bill++
		}
	}
	if ship != 1 || bill != 1 {
		t.Fatalf("%d default shipping and %d default billing addresses, want 1 each", ship, bill)
	}
}
