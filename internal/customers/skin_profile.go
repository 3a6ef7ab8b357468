package customers

import (
	"context"
	"encoding/json"
	"fmt"

	"storekeep/internal/platform/db"
)

// SkinProfile is a customer's answers to the support bot's skin quiz, kept in
// customers.skin_profile for recommendations.
type SkinProfile struct {
	SkinType    string   `json:"skin_type"`
	Concern     string   `json:"concern"`
	Preferences []string `json:"preferences"`
}

// SaveSkinProfile replaces the active customer's skin profile. It is a
// trusted internal call (the support bot, for the signed-in customer of the
// conversation); a missing or archived customer is ErrNotFound.
func (s *Service) SaveSkinProfile(ctx context.Context, customerID string, p SkinProfile) error {
	if p.Preferences == nil {
		p.Preferences = []string{}
	}
	b, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("encode skin profile: %w", err)
	}
	res := s.db.Conn(ctx).Model(&Customer{}).Where("id = ? AND archived_at IS NULL", customerID).
		Updates(map[string]any{"skin_profile": string(b), "updated_at": db.Now()})
	if res.Error != nil {
		return fmt.Errorf("save skin profile: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return s.queueCustomerRecompute(ctx, customerID) // skin_type rules
}

// SkinProfile returns the customer's saved skin profile, nil when there is
// none.
func (s *Service) SkinProfile(ctx context.Context, customerID string) (*SkinProfile, error) {
	var row struct{ SkinProfile *string }
	err := s.db.Conn(ctx).Model(&Customer{}).Select("skin_profile").
		Where("id = ? AND archived_at IS NULL", customerID).Scan(&row).Error
	if err != nil {
		return nil, fmt.Errorf("read skin profile: %w", err)
	}
	if row.SkinProfile == nil || *row.SkinProfile == "" {
		return nil, nil
	}
	var p SkinProfile
	if err := json.Unmarshal([]byte(*row.SkinProfile), &p); err != nil {
		return nil, fmt.Errorf("decode skin profile: %w", err)
	}
	return &p, nil
}
