package inventory

import (
	"context"
	"fmt"
	"time"

	"storekeep/internal/platform/auth"
)

// Forecast is a variant's demand forecast and the reorder suggestion built on
// it. Stock figures are summed over active warehouses; reorder_point and
// safety_stock are the sums of the levels' settings.
type Forecast struct {
	VariantID string `json:"variant_id" binding:"required" example:"var_06h1wbq28dxanf5st2bqp8yfxm"`
	// WindowDays is how many UTC days of sales were read (ending today).
	WindowDays int `json:"window_days" binding:"required" example:"56"`
	// Alpha is the exponential smoothing weight of the newest day.
	Alpha float64 `json:"alpha" binding:"required" format:"double" example:"0.3"`
	// DailySales is units sold per UTC day, oldest first, zero-filled.
	DailySales []int64 `json:"daily_sales" binding:"required"`
	// AverageDailyDemand is the smoothed demand in units per day.
	AverageDailyDemand float64 `json:"average_daily_demand" binding:"required" format:"double" example:"2.4"`
	OnHand             int64   `json:"on_hand" binding:"required" example:"30"`
	Reserved           int64   `json:"reserved" binding:"required" example:"2"`
	Available          int64   `json:"available" binding:"required" example:"28"`
	ReorderPoint       int64   `json:"reorder_point" binding:"required" example:"20"`
	SafetyStock        int64   `json:"safety_stock" binding:"required" example:"10"`
	// OnOrder is ordered (draft, sent or partially received purchase orders)
	// and not yet received.
	OnOrder int64 `json:"on_order" binding:"required" example:"0"`
	// PreferredSupplierID is null when no active supplier is preferred; the
	// lead time is then 0 and the MOQ 1.
	PreferredSupplierID *string `json:"preferred_supplier_id" binding:"required" extensions:"x-nullable" example:"sup_06h1wbq28dxanf5st2bqp8yfxm"`
	LeadTimeDays        int     `json:"lead_time_days" binding:"required" example:"10"`
	MOQ                 int64   `json:"moq" binding:"required" example:"12"`
	// DaysOfCover is available / average_daily_demand; null without demand.
	DaysOfCover *float64 `json:"days_of_cover" binding:"required" extensions:"x-nullable" format:"double" example:"11.7"`
	// SuggestedReorderQuantity is max(0, reorder_point + safety_stock +
	// ceil(demand * lead_time_days) - available - on_order), rounded up to a
	// multiple of the MOQ.
	SuggestedReorderQuantity int64 `json:"suggested_reorder_quantity" binding:"required" example:"24"`
} // @name StockForecast

// Forecast returns the demand forecast of a variant.
func (s *Service) Forecast(ctx context.Context, actor auth.Actor, variantID string) (Forecast, error) {
	if err := canReadPurchasing(actor); err != nil {
		return Forecast{}, err
	}
	if err := s.variantExists(ctx, variantID); err != nil {
		return Forecast{}, err
	}
	return s.forecast(ctx, variantID, "")
}

// forecast computes a variant's forecast. Lines of the purchase order
// excludePO do not count as on order: the reorder job sizes the draft it
// tops up without counting that draft against itself.
func (s *Service) forecast(ctx context.Context, variantID, excludePO string) (Forecast, error) {
	f := Forecast{VariantID: variantID, WindowDays: ForecastDays, Alpha: SmoothingAlpha, MOQ: 1}
	conn := s.db.Conn(ctx)
	var stock struct{ OnHand, Reserved, ReorderPoint, SafetyStock int64 }
	err := conn.Raw(`SELECT COALESCE(SUM(l.on_hand), 0) AS on_hand, COALESCE(SUM(l.reserved), 0) AS reserved,
		COALESCE(SUM(l.reorder_point), 0) AS reorder_point, COALESCE(SUM(l.safety_stock), 0) AS safety_stock
		FROM stock_levels l JOIN warehouses w ON w.id = l.warehouse_id
		WHERE l.variant_id = ? AND w.active`, variantID).Scan(&stock).Error
	if err != nil {
		return Forecast{}, fmt.Errorf("sum stock levels: %w", err)
	}
	f.OnHand, f.Reserved, f.ReorderPoint, f.SafetyStock = stock.OnHand, stock.Reserved, stock.ReorderPoint, stock.SafetyStock
	f.Available = f.OnHand - f.Reserved
	err = conn.Raw(`SELECT COALESCE(SUM(i.quantity - i.received), 0) FROM purchase_order_items i
		JOIN purchase_orders p ON p.id = i.po_id
		WHERE i.variant_id = ? AND p.status IN ('draft', 'sent', 'partially_received') AND p.id <> ?`,
		variantID, excludePO).Scan(&f.OnOrder).Error
	if err != nil {
		return Forecast{}, fmt.Errorf("sum open purchase orders: %w", err)
	}
	now := s.now()
	if f.DailySales, err = s.dailySales(ctx, variantID, now); err != nil {
		return Forecast{}, err
	}
	item, sup, ok, err := s.preferredItem(ctx, variantID)
	if err != nil {
		return Forecast{}, err
	}
	if ok {
		f.PreferredSupplierID, f.LeadTimeDays, f.MOQ = &sup.ID, sup.LeadTimeDays, item.MOQ
	}
	f.AverageDailyDemand = SmoothDemand(f.DailySales, SmoothingAlpha)
	f.DaysOfCover = DaysOfCover(f.Available, f.AverageDailyDemand)
	f.SuggestedReorderQuantity = ReorderQuantity(Sizing{ReorderPoint: f.ReorderPoint, SafetyStock: f.SafetyStock,
		LeadTimeDemand: LeadTimeDemand(f.AverageDailyDemand, f.LeadTimeDays), Available: f.Available,
		OnOrder: f.OnOrder, MOQ: f.MOQ})
	// Round the reported demand: more digits would claim false precision.
	f.AverageDailyDemand = float64(int64(f.AverageDailyDemand*1000+0.5)) / 1000
	return f, nil
}

// dailySales reads the variant's sale movements of the forecast window
// (every warehouse) and buckets them per UTC day.
func (s *Service) dailySales(ctx context.Context, variantID string, now time.Time) ([]int64, error) {
	start := now.UTC().Truncate(24*time.Hour).AddDate(0, 0, -(ForecastDays - 1))
	var rows []struct {
		CreatedAt time.Time
		Delta     int64
	}
	err := s.db.Conn(ctx).Table("stock_movements").Select("created_at, delta").
		Where("variant_id = ? AND kind = ? AND created_at >= ?", variantID, KindSale, start).
		Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("read sales: %w", err)
	}
	sales := make([]soldUnits, len(rows))
	for i, r := range rows {
		sales[i] = soldUnits{At: r.CreatedAt, Quantity: -r.Delta}
	}
	return dailySeries(sales, now, ForecastDays), nil
}
