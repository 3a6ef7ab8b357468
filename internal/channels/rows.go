package channels

import "time"

type channelRow struct {
	ID        string
	Name      string
	Kind      string
	Active    bool
	IsDefault bool
	RegionID  *string
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (channelRow) TableName() string { return "sales_channels" }

func (r channelRow) channel(warehouses []string) Channel {
	if warehouses == nil {
		warehouses = []string{}
	}
	return Channel{ID: r.ID, Name: r.Name, Kind: r.Kind, WarehouseIDs: warehouses, Active: r.Active,
		RegionID: r.RegionID, IsDefault: r.IsDefault, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
}

type channelWarehouseRow struct {
	SalesChannelID string `gorm:"primaryKey"`
	WarehouseID    string `gorm:"primaryKey"`
	Position       int
}

func (channelWarehouseRow) TableName() string { return "sales_channel_warehouses" }

type keyRow struct {
	ID             string
	Key            string
	SalesChannelID string
	CreatedAt      time.Time
	RevokedAt      *time.Time
}

func (keyRow) TableName() string { return "publishable_keys" }

func (r keyRow) key() Key {
	k := Key{ID: r.ID, Key: r.Key, SalesChannelID: r.SalesChannelID, CreatedAt: r.CreatedAt.UTC()}
	if r.RevokedAt != nil {
		t := r.RevokedAt.UTC()
		k.RevokedAt = &t
	}
	return k
}
