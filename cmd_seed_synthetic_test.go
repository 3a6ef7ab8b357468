package main

import (
	"bytes"
	"strings"
	"testing"

	"storekeep/internal/platform/dbtest"
)

// TestSeedSynthetic runs `storekeep seed --synthetic` on a database of
// its own and checks what it says it wrote is there, rollups included.
func TestSeedSynthetic(t *testing.T) {
	d, url := dbtest.NewWithURL(t)
	var out bytes.Buffer
	args := []string{"--database-url", url, "--synthetic", "--orders", "120", "--events", "600", "--days", "14",
		"--seed", "3", "--end", "2026-03-15"}
	if err := cmdSeed(t.Context(), args, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "Generated 120 orders, 600 events") {
		t.Errorf("output: %s", out.String())
	}
	var n struct{ Orders, Hours int64 }
	if err := d.Conn(t.Context()).Raw(`SELECT (SELECT COUNT(*) FROM orders) AS orders,
		(SELECT COUNT(*) FROM kpi_hours) AS hours`).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	if n.Orders != 120 || n.Hours == 0 {
		t.Errorf("rows = %+v", n)
	}
}
