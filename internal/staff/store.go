package staff

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"

	"storekeep/internal/platform/db"
)

// store is the staff_users and api_keys tables.
type store struct{ db *db.DB }

func (s store) createUser(ctx context.Context, u *User) error {
	err := s.db.Conn(ctx).Create(u).Error
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return ErrEmailTaken
	}
	if err != nil {
		return fmt.Errorf("insert staff user: %w", err)
	}
	return nil
}

func (s store) user(ctx context.Context, column, value string) (User, error) {
	var u User
	err := s.db.Conn(ctx).Where(column+" = ?", value).Take(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return User{}, ErrNotFound
	}
	if err != nil {
		return User{}, fmt.Errorf("find staff user: %w", err)
	}
	return u, nil
}

// updateUser applies changes to a user and bumps token_version in the same
// statement, so tokens issued before the change stop working.
func (s store) updateUser(ctx context.Context, id string, changes map[string]any) error {
	changes["token_version"] = gorm.Expr("token_version + 1")
	changes["updated_at"] = db.Now()
	res := s.db.Conn(ctx).Model(&User{}).Where("id = ?", id).Updates(changes)
	if res.Error != nil {
		return fmt.Errorf("update staff user: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}

func (s store) setPasswordHash(ctx context.Context, id, hash string) error {
	return s.db.Conn(ctx).Model(&User{}).Where("id = ?", id).
		Updates(map[string]any{"password_hash": hash, "updated_at": db.Now()}).Error
}

func (s store) anyUser(ctx context.Context) (bool, error) {
	var n int64
	if err := s.db.Conn(ctx).Model(&User{}).Limit(1).Count(&n).Error; err != nil {
		return false, fmt.Errorf("count staff users: %w", err)
	}
	return n > 0, nil
}
