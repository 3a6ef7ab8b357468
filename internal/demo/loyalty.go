package demo

import (
	"context"
	"fmt"

	"storekeep/internal/loyalty"
	"storekeep/internal/platform/money"
)

func eur(minor int64) money.Amount { return money.Amount{Minor: minor, Currency: "EUR"} }

// demoProgram is the demo's loyalty programme (docs/loyalty.md): a point per
// euro, a point worth 0.01 EUR, points valid a year, three tiers. Camille's
// past orders (placed after the load, see seedDemoOrders) take her over
// Silver's 60 EUR once the served process dispatches their order.fulfilled
// events; she also holds the welcome points below.
var demoProgram = loyalty.ProgramInput{EarnPerUnit: 1, RedeemValue: eur(1), ExpiryDays: 365,
	Tiers: []loyalty.Tier{
		{Key: "bronze", Name: "Bronze", MinSpend12m: eur(0), Perks: loyalty.Perks{EarnMultiplier: 1}},
		{Key: "silver", Name: "Silver", MinSpend12m: eur(6000), Perks: loyalty.Perks{EarnMultiplier: 1.25}},
		{Key: "gold", Name: "Gold", MinSpend12m: eur(50000), Perks: loyalty.Perks{EarnMultiplier: 1.5}},
	}}

// DemoWelcomePoints are the points Camille starts with.
const DemoWelcomePoints = 250

func loadLoyalty(ctx context.Context, svc *loyalty.Service, customerID string) error {
	if _, err := svc.PutProgram(ctx, demoProgram); err != nil {
		return fmt.Errorf("programme: %w", err)
	}
	if _, err := svc.Adjust(ctx, customerID, loyalty.AdjustInput{Points: DemoWelcomePoints,
		Reason: "welcome to the loyalty programme"}); err != nil {
		return fmt.Errorf("welcome points: %w", err)
	}
	return nil
}
