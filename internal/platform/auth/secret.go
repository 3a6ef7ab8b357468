package auth

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"gorm.io/gorm/clause"

	"storekeep/internal/platform/db"
)

// SecretSetting is the settings key of a generated JWT secret.
const SecretSetting = "jwt_secret"

type setting struct {
	Key       string `gorm:"primaryKey"`
	Value     string
	UpdatedAt time.Time
}

// StoredSecret returns the JWT secret kept in the settings table, generating
// 32 random bytes (hex) on first use. Insert-if-absent followed by a read
// means several nodes starting at once all end up with the same secret.
// generated reports whether this call created it.
func StoredSecret(ctx context.Context, d *db.DB) (secret []byte, generated bool, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return nil, false, err
	}
	row := setting{Key: SecretSetting, Value: hex.EncodeToString(b), UpdatedAt: db.Now()}
	res := d.Conn(ctx).Table("settings").Clauses(clause.OnConflict{DoNothing: true}).Create(&row)
	if res.Error != nil {
		return nil, false, fmt.Errorf("store generated JWT secret: %w", res.Error)
	}
	var stored setting
	if err := d.Conn(ctx).Table("settings").Where("key = ?", SecretSetting).Take(&stored).Error; err != nil {
		return nil, false, fmt.Errorf("read JWT secret: %w", err)
	}
	if len(stored.Value) < MinSecretLen {
		return nil, false, fmt.Errorf("the stored %s setting is shorter than %d bytes", SecretSetting, MinSecretLen)
	}
	return []byte(stored.Value), res.RowsAffected == 1, nil
}
