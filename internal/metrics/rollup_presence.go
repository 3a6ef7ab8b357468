package metrics

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"gorm.io/gorm"
)

// Presence rollups (migration 00024): one row per UTC hour and key (a
// customer who ordered, a shopper with an event), linked to the last
// earlier hour the same key appears in. A period's distinct keys are its
// rows whose link points before the period, so distinct customers and
// shoppers over months are counted in SQL without reading them.

// presenceTable names a presence rollup and its key column.
type presenceTable struct{ name, key string }

var (
	customerPresence = presenceTable{"kpi_customer_hours", "customer_id"}
	userPresence     = presenceTable{"kpi_user_hours", "user_id"}
)

// presenceRow is one key seen in one hour; PrevHour is nil for its first.
type presenceRow struct {
	Hour     time.Time
	Key      string `gorm:"column:k"`
	PrevHour *time.Time
}

// presenceSet collects the keys of each hour.
type presenceSet map[time.Time]map[string]bool

func (s presenceSet) add(t time.Time, key string) {
	h := hourOf(t)
	if s[h] == nil {
		s[h] = map[string]bool{}
	}
	s[h][key] = true
}

// writePresence replaces the rows of the hours [a, b) with seen, inside
// the caller's transaction. Each new row is linked to the previous hour of
// its key; with relink, the first row at or after b of every key that was
// or is in [a, b) is linked again (its previous hour may have changed).
// A full rebuild, which goes through the hours in order, needs no relink.
func writePresence(ctx context.Context, conn *gorm.DB, t presenceTable, a, b time.Time, seen presenceSet, relink bool) error {
	touched := map[string]bool{}
	if relink {
		var old []string
		if err := conn.Raw(`SELECT `+t.key+` FROM `+t.name+` WHERE hour >= ? AND hour < ?`, a, b).
			Scan(&old).Error; err != nil {
			return fmt.Errorf("rollup %s: %w", t.name, err)
		}
		for _, k := range old {
			touched[k] = true
		}
	}
	if err := conn.Exec(`DELETE FROM `+t.name+` WHERE hour >= ? AND hour < ?`, a, b).Error; err != nil {
		return fmt.Errorf("rollup clear %s: %w", t.name, err)
	}
	keys := map[string]bool{}
	for _, ks := range seen {
		for k := range ks {
			keys[k] = true
			touched[k] = true
		}
	}
	last, err := lastPresence(ctx, conn, t, slices.Sorted(maps.Keys(keys)), a)
	if err != nil {
		return err
	}
	var rows []presenceRow
	for _, h := range slices.SortedFunc(maps.Keys(seen), func(x, y time.Time) int { return x.Compare(y) }) {
		for _, k := range slices.Sorted(maps.Keys(seen[h])) {
			r := presenceRow{Hour: h, Key: k}
			if p, ok := last[k]; ok {
				r.PrevHour = &p
			}
			last[k] = h
			rows = append(rows, r)
		}
	}
	for chunk := range slices.Chunk(rows, 300) {
		args := make([]any, 0, 3*len(chunk))
		values := make([]byte, 0, 10*len(chunk))
		for i, r := range chunk {
			if i > 0 {
				values = append(values, ',')
			}
			values = append(values, "(?,?,?)"...)
			args = append(args, r.Hour, r.Key, r.PrevHour)
		}
		if err := conn.Exec(`INSERT INTO `+t.name+` (hour, `+t.key+`, prev_hour) VALUES `+string(values), args...).Error; err != nil {
			return fmt.Errorf("rollup write %s: %w", t.name, err)
		}
	}
	if !relink {
		return nil
	}
	for chunk := range slices.Chunk(slices.Sorted(maps.Keys(touched)), 500) {
		if err := conn.Exec(`UPDATE `+t.name+` AS t SET prev_hour = (SELECT MAX(p.hour) FROM `+t.name+` p
			WHERE p.`+t.key+` = t.`+t.key+` AND p.hour < t.hour)
			WHERE t.`+t.key+` IN ? AND t.hour = (SELECT MIN(q.hour) FROM `+t.name+` q WHERE q.`+t.key+` = t.`+t.key+` AND q.hour >= ?)`,
			chunk, b).Error; err != nil {
			return fmt.Errorf("rollup relink %s: %w", t.name, err)
		}
	}
	return nil
}

// lastPresence finds, for each key, the last hour before a it appears in.
func lastPresence(ctx context.Context, conn *gorm.DB, t presenceTable, keys []string, a time.Time) (map[string]time.Time, error) {
	last := make(map[string]time.Time, len(keys))
	for chunk := range slices.Chunk(keys, 500) {
		var rows []presenceRow
		// MAX in a subquery: the outer hour keeps its column type on SQLite.
		if err := conn.WithContext(ctx).Raw(`SELECT t.hour, t.`+t.key+` AS k FROM `+t.name+` t WHERE t.`+t.key+` IN ?
			AND t.hour = (SELECT MAX(p.hour) FROM `+t.name+` p WHERE p.`+t.key+` = t.`+t.key+` AND p.hour < ?)`,
			chunk, a).Scan(&rows).Error; err != nil {
			return nil, fmt.Errorf("rollup %s links: %w", t.name, err)
		}
		for _, r := range rows {
			last[r.Key] = r.Hour.UTC()
		}
	}
	return last, nil
}

// presencePart is one SELECT of countPresence, answering one row of
// counts, the first column naming the period it counts for.
type presencePart struct {
	sql  string
	args []any
}

// presenceCounts is one row of counts: the part, then up to three counts.
type presenceCounts struct {
	I       int
	A, B, C int64
}

// countPresence runs the parts, one statement each: glued with UNION ALL
// they made one statement costly enough for PostgreSQL to compile it
// (JIT), which took seconds, and were no faster without that.
func countPresence(ctx context.Context, conn *gorm.DB, parts []presencePart) ([]presenceCounts, error) {
	out := make([]presenceCounts, 0, len(parts))
	for _, p := range parts {
		var c presenceCounts
		if err := conn.WithContext(ctx).Raw(p.sql, p.args...).Scan(&c).Error; err != nil {
			return nil, fmt.Errorf("kpi presence counts: %w", err)
		}
		out = append(out, c)
	}
	return out, nil
}
