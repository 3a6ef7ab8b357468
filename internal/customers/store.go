package customers

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"

	"storekeep/internal/platform/db"
)

// store is the customers table.
type store struct{ db *db.DB }

func (s store) create(ctx context.Context, c *Customer) error {
	err := s.db.Conn(ctx).Create(c).Error
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return ErrEmailTaken
	}
	if err != nil {
		return fmt.Errorf("insert customer: %w", err)
	}
	return nil
}

// active finds a non-archived customer by a column value.
func (s store) active(ctx context.Context, column, value string) (Customer, error) {
	var c Customer
	err := s.db.Conn(ctx).Where(column+" = ? AND archived_at IS NULL", value).Take(&c).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Customer{}, ErrNotFound
	}
	if err != nil {
		return Customer{}, fmt.Errorf("find customer: %w", err)
	}
	c.normalise()
	return c, nil
}

func (s store) setPasswordHash(ctx context.Context, id, hash string) error {
	return s.db.Conn(ctx).Model(&Customer{}).Where("id = ?", id).
		Updates(map[string]any{"password_hash": hash, "updated_at": db.Now()}).Error
}
