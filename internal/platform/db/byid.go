package db

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"
)

// TakeByID reads the row of model R whose id is rowID, through d.Conn(ctx)
// (so inside the caller's transaction when there is one). A missing row
// is notFound, the caller's 404 for that kind of row.
func TakeByID[R any](ctx context.Context, d *DB, rowID string, notFound error) (R, error) {
	var r R
	err := d.Conn(ctx).Where("id = ?", rowID).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return r, notFound
	}
	if err != nil {
		return r, fmt.Errorf("read %T %s: %w", r, rowID, err)
	}
	return r, nil
}

// DeleteByID deletes the row of model R whose id is rowID; notFound when
// there was none.
func DeleteByID[R any](ctx context.Context, d *DB, rowID string, notFound error) error {
	var r R
	res := d.Conn(ctx).Where("id = ?", rowID).Delete(&r)
	if res.Error != nil {
		return fmt.Errorf("delete %T %s: %w", r, rowID, res.Error)
	}
	if res.RowsAffected == 0 {
		return notFound
	}
	return nil
}

// UpdateByID reads the row of model R whose id is rowID in a transaction,
// applies change to it and saves it; notFound when there is none, and
// change's error (nothing saved) when it refuses.
func UpdateByID[R any](ctx context.Context, d *DB, rowID string, notFound error, change func(*R) error) (R, error) {
	var out R
	err := d.WithTx(ctx, func(ctx context.Context) error {
		r, err := TakeByID[R](ctx, d, rowID, notFound)
		if err != nil {
			return err
		}
		if err := change(&r); err != nil {
			return err
		}
		if err := d.Conn(ctx).Save(&r).Error; err != nil {
			return fmt.Errorf("update %T %s: %w", r, rowID, err)
		}
		out = r
		return nil
	})
	return out, err
}
