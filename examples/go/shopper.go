package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"net/http"
	"slices"

	storekeep "storekeep/clients/go"
)

// purchase is what the shopper journey leaves for the staff journey.
type purchase struct {
	order storekeep.Order
}

// shop runs the shopper journey: browse, search, read the product in French,
// register, cart, code, address, shipping, checkout and its replay, history.
func shop(ctx context.Context, cfg config, chk *checker, out io.Writer) (purchase, error) {
	guest, err := storekeep.NewClientWithResponses(cfg.baseURL)
	if err != nil {
		return purchase{}, err
	}

	// Browse: the first page of the catalog, priced in euros.
	currency := "EUR"
	limit := 5
	page, err := guest.ListStoreProductsWithResponse(ctx, &storekeep.ListStoreProductsParams{Currency: &currency, Limit: &limit})
	if err := expect("browse products", page, err, http.StatusOK); err != nil {
		return purchase{}, err
	}
	if page.JSON200 == nil {
		return purchase{}, noBody("browse products")
	}
	chk.that(len(page.JSON200.Data) > 0, "browse: the catalog is empty")
	chk.that(len(page.JSON200.Data) <= limit, "browse: %d products for limit %d", len(page.JSON200.Data), limit)
	fmt.Fprintf(out, "browse: %d products on the first page\n", len(page.JSON200.Data))

	// Search: the product to buy is among the answers to a word of its title.
	q := "cleanser"
	found, err := guest.ListStoreProductsWithResponse(ctx, &storekeep.ListStoreProductsParams{Q: &q, Currency: &currency})
	if err := expect("search products", found, err, http.StatusOK); err != nil {
		return purchase{}, err
	}
	if found.JSON200 == nil {
		return purchase{}, noBody("search products")
	}
	i := slices.IndexFunc(found.JSON200.Data, func(p storekeep.Product) bool { return p.Handle == cfg.handle })
	if i < 0 {
		return purchase{}, fmt.Errorf("search q=%s: %s not among %d results", q, cfg.handle, len(found.JSON200.Data))
	}
	english := found.JSON200.Data[i].Title
	fmt.Fprintf(out, "search q=%s: %d results, %q among them\n", q, len(found.JSON200.Data), english)

	// The product page in French, by its handle.
	fr := "fr"
	prod, err := guest.GetStoreProductWithResponse(ctx, cfg.handle, &storekeep.GetStoreProductParams{Locale: &fr, Currency: &currency})
	if err := expect("product by handle", prod, err, http.StatusOK); err != nil {
		return purchase{}, err
	}
	if prod.JSON200 == nil {
		return purchase{}, noBody("product by handle")
	}
	p := prod.JSON200
	chk.that(p.Locale == "fr", "product locale %q, want fr", p.Locale)
	chk.that(p.Title != english, "product title in French %q is the English one", p.Title)
	vi := slices.IndexFunc(p.Variants, func(v storekeep.Variant) bool { return v.InStock && v.Available >= 2 })
	if vi < 0 {
		return purchase{}, fmt.Errorf("%s: no variant with 2 in stock", cfg.handle)
	}
	variant := p.Variants[vi]
	fmt.Fprintf(out, "product %s in French: %q, variant %s\n", cfg.handle, p.Title, variant.Sku)

	// Register: a new customer, so the once-per-customer code applies.
	email := "journey-go-" + rand.Text()[:12] + "@example.com"
	reg := storekeep.RegisterRequest{FirstName: "Camille", LastName: "Martin", Password: "journey-password-" + rand.Text()}
	setString(&reg.Email, email)
	auth, err := guest.RegisterCustomerWithResponse(ctx, reg)
	if err := expect("register", auth, err, http.StatusCreated); err != nil {
		return purchase{}, err
	}
	if auth.JSON201 == nil || auth.JSON201.AccessToken == "" {
		return purchase{}, noBody("register")
	}
	customer, err := storekeep.NewClientWithResponses(cfg.baseURL,
		storekeep.WithRequestEditorFn(storekeep.BearerToken(auth.JSON201.AccessToken)))
	if err != nil {
		return purchase{}, err
	}
	fmt.Fprintf(out, "registered %s\n", email)

	cart, err := fillCart(ctx, cfg, customer, variant, chk, out)
	if err != nil {
		return purchase{}, err
	}
	order, err := checkout(ctx, customer, cart, chk, out)
	if err != nil {
		return purchase{}, err
	}

	// Order history: the new order is in the customer's list.
	hist, err := customer.ListMyOrdersWithResponse(ctx, &storekeep.ListMyOrdersParams{})
	if err := expect("order history", hist, err, http.StatusOK); err != nil {
		return purchase{}, err
	}
	if hist.JSON200 == nil {
		return purchase{}, noBody("order history")
	}
	chk.that(slices.ContainsFunc(hist.JSON200.Data, func(o storekeep.Order) bool { return o.ID == order.ID }),
		"order history: %s missing from %d orders", order.Number, len(hist.JSON200.Data))
	fmt.Fprintf(out, "order history: %d order(s), %s among them\n", len(hist.JSON200.Data), order.Number)
	return purchase{order: order}, nil
}

// fillCart creates the customer's cart, adds two of variant, applies the
// code, sets a French address and the first shipping option, checking the
// totals after each change.
func fillCart(ctx context.Context, cfg config, c *storekeep.ClientWithResponses, variant storekeep.Variant, chk *checker, out io.Writer) (storekeep.Cart, error) {
	created, err := c.CreateCartWithResponse(ctx, &storekeep.CreateCartParams{}, storekeep.CartCreate{Currency: "EUR"})
	if err := expect("create cart", created, err, http.StatusCreated); err != nil {
		return storekeep.Cart{}, err
	}
	if created.JSON201 == nil {
		return storekeep.Cart{}, noBody("create cart")
	}
	id := created.JSON201.ID

	added, err := c.AddCartItemWithResponse(ctx, id, storekeep.CartItemAdd{VariantID: variant.ID, Quantity: 2})
	if err := expect("add item", added, err, http.StatusOK); err != nil {
		return storekeep.Cart{}, err
	}
	if added.JSON200 == nil {
		return storekeep.Cart{}, noBody("add item")
	}
	chk.addUp("cart with an item", cartTotals(added.JSON200))

	coded, err := c.ApplyCartCodeWithResponse(ctx, id, storekeep.CartCodeInput{Code: cfg.code})
	if err := expect("apply "+cfg.code, coded, err, http.StatusOK); err != nil {
		return storekeep.Cart{}, err
	}
	if coded.JSON200 == nil {
		return storekeep.Cart{}, noBody("apply code")
	}
	ct := coded.JSON200
	chk.that(len(ct.Discounts) == 1 && ct.Discounts[0].Code == cfg.code, "cart discounts: %v, want %s", ct.Discounts, cfg.code)
	sub := chk.minor("cart subtotal", ct.Subtotal)
	chk.equal(fmt.Sprintf("%s discount = %d bp of the subtotal", cfg.code, cfg.codePercent),
		chk.minor("cart discount_total", ct.DiscountTotal), percentOf(sub, cfg.codePercent))
	chk.addUp("cart with "+cfg.code, cartTotals(ct))

	addr := storekeep.Address{FirstName: "Camille", LastName: "Martin", Line1: "12 rue de Rivoli",
		City: "Paris", PostalCode: "75001", CountryCode: "FR"}
	placed, err := c.UpdateCartWithResponse(ctx, id, storekeep.CartPatch{ShippingAddress: &addr, BillingAddress: &addr})
	if err := expect("set address", placed, err, http.StatusOK); err != nil {
		return storekeep.Cart{}, err
	}
	if placed.JSON200 == nil {
		return storekeep.Cart{}, noBody("set address")
	}
	chk.that(placed.JSON200.RegionID != nil, "cart has no region after a French address")

	opts, err := c.ListCartShippingOptionsWithResponse(ctx, id)
	if err := expect("shipping options", opts, err, http.StatusOK); err != nil {
		return storekeep.Cart{}, err
	}
	if opts.JSON200 == nil || len(opts.JSON200.Data) == 0 {
		return storekeep.Cart{}, fmt.Errorf("shipping options: none for a French address")
	}
	opt := opts.JSON200.Data[0]
	shipped, err := c.SetCartShippingMethodWithResponse(ctx, id, storekeep.CartShippingMethodInput{ShippingOptionID: opt.ID})
	if err := expect("shipping method", shipped, err, http.StatusOK); err != nil {
		return storekeep.Cart{}, err
	}
	if shipped.JSON200 == nil {
		return storekeep.Cart{}, noBody("shipping method")
	}
	ct = shipped.JSON200
	chk.equal("shipping_total = the option's price", chk.minor("cart shipping_total", ct.ShippingTotal), chk.minor("option", opt.Amount))
	chk.addUp("cart ready", cartTotals(ct))
	fmt.Fprintf(out, "cart %s: subtotal %s − discount %s + shipping %s (%s) = total %s, tax %s %s\n", ct.ID,
		show(ct.Subtotal), show(ct.DiscountTotal), show(ct.ShippingTotal), opt.Name, show(ct.Total), show(ct.TaxTotal),
		map[bool]string{true: "included", false: "added"}[ct.TaxInclusive])
	return *ct, nil
}

// checkout places the order with a fresh Idempotency-Key, then sends the same
// request again: the replay must answer the same order, marked replayed.
func checkout(ctx context.Context, c *storekeep.ClientWithResponses, cart storekeep.Cart, chk *checker, out io.Writer) (storekeep.Order, error) {
	key := "journey-" + rand.Text()
	provider, method, token := "test", storekeep.CheckoutPaymentMethodCard, "tok_visa"
	body := storekeep.CheckoutRequest{Payment: storekeep.CheckoutPayment{
		Provider: &provider, Method: &method, Token: &token}}
	params := &storekeep.CheckoutCartParams{IdempotencyKey: key}
	first, err := c.CheckoutCartWithResponse(ctx, cart.ID, params, body)
	if err := expect("checkout", first, err, http.StatusCreated); err != nil {
		return storekeep.Order{}, err
	}
	if first.JSON201 == nil {
		return storekeep.Order{}, noBody("checkout")
	}
	order := first.JSON201.Order
	chk.that(!replayed(first.Headers201), "first checkout answer is marked replayed")
	chk.that(order.Status == storekeep.OrderStatusConfirmed, "order status %s, want confirmed", order.Status)
	chk.that(order.PaymentStatus == storekeep.OrderPaymentStatusAuthorized, "payment status %s, want authorized", order.PaymentStatus)
	ot := orderTotals(&order)
	chk.addUp("order", ot)
	chk.sameTotals(cartTotals(&cart), ot)

	again, err := c.CheckoutCartWithResponse(ctx, cart.ID, params, body)
	if err := expect("checkout replay", again, err, http.StatusCreated); err != nil {
		return storekeep.Order{}, err
	}
	if again.JSON201 == nil {
		return storekeep.Order{}, noBody("checkout replay")
	}
	chk.that(replayed(again.Headers201), "replayed checkout lacks Idempotent-Replayed: true")
	chk.that(again.JSON201.Order.ID == order.ID && again.JSON201.Order.Number == order.Number,
		"replay answered order %s, want %s", again.JSON201.Order.Number, order.Number)
	fmt.Fprintf(out, "checkout: order %s, total %s; replay with the same key: order %s, Idempotent-Replayed %v\n",
		order.Number, show(order.Total), again.JSON201.Order.Number, replayed(again.Headers201))
	return order, nil
}

// replayed tells whether a checkout answer carries Idempotent-Replayed: true.
func replayed(h *storekeep.CheckoutCartResponse201Headers) bool {
	return h != nil && h.IdempotentReplayed != nil && *h.IdempotentReplayed == "true"
}

// sameTotals checks that the order kept the cart's figures exactly.
func (c *checker) sameTotals(cart, order totals) {
	pairs := []struct {
		name       string
		cart, ordr storekeep.Money
	}{{"subtotal", cart.subtotal, order.subtotal}, {"discount_total", cart.discount, order.discount},
		{"shipping_total", cart.shipping, order.shipping}, {"tax_total", cart.tax, order.tax}, {"total", cart.total, order.total}}
	for _, p := range pairs {
		c.equal("order "+p.name+" = cart's", c.minor("order "+p.name, p.ordr), c.minor("cart "+p.name, p.cart))
	}
	c.that(order.taxInclusive == cart.taxInclusive, "order tax_inclusive differs from the cart's")
}

// setString stores s into a field whose type is string or a named string
// type (the contract types some e-mails with format: email, which generates
// a named type, and others not): the same call compiles for both.
func setString[T ~string](dst *T, s string) { *dst = T(s) }

// noBody reports a success status without the typed body the contract promises.
func noBody(op string) error { return fmt.Errorf("%s: no JSON body in the answer", op) }
