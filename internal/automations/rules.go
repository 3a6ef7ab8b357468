package automations

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/id"
	"storekeep/internal/platform/page"
)

// Create validates in and creates the rule. It runs on events recorded from
// then on (never on earlier ones).
func (s *Service) Create(ctx context.Context, actor auth.Actor, in AutomationInput) (Automation, error) {
	if err := canManage(actor); err != nil {
		return Automation{}, err
	}
	now := s.clock()
	a := Automation{ID: id.New("auto"), Name: strings.TrimSpace(in.Name), Trigger: strings.TrimSpace(in.Trigger),
		DelaySeconds: in.DelaySeconds, Conditions: orEmpty(in.Conditions), Actions: orEmpty(in.Actions),
		Active: in.Active == nil || *in.Active, CreatedAt: now, UpdatedAt: now}
	if err := checkRule(a); err != nil {
		return Automation{}, err
	}
	r, err := a.row()
	if err != nil {
		return Automation{}, err
	}
	if err := s.db.Conn(ctx).Create(&r).Error; err != nil {
		return Automation{}, fmt.Errorf("insert automation: %w", err)
	}
	return a, nil
}

// Update changes some fields of a rule, held to the same rules as a new one.
func (s *Service) Update(ctx context.Context, actor auth.Actor, automationID string, p AutomationPatch) (Automation, error) {
	if err := canManage(actor); err != nil {
		return Automation{}, err
	}
	var out Automation
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		a, err := s.live(ctx, automationID)
		if err != nil {
			return err
		}
		if p.Name != nil {
			a.Name = strings.TrimSpace(*p.Name)
		}
		if p.Trigger != nil {
			a.Trigger = strings.TrimSpace(*p.Trigger)
		}
		if p.DelaySeconds != nil {
			a.DelaySeconds = *p.DelaySeconds
		}
		if p.Conditions != nil {
			a.Conditions = p.Conditions
		}
		if p.Actions != nil {
			a.Actions = p.Actions
		}
		if p.Active != nil {
			a.Active = *p.Active
		}
		if err := checkRule(a); err != nil {
			return err
		}
		a.UpdatedAt = s.clock()
		r, err := a.row()
		if err != nil {
			return err
		}
		err = s.db.Conn(ctx).Model(&automationRow{ID: a.ID}).Select("name", "trigger_type", "delay_seconds",
			"conditions", "actions", "active", "updated_at").Updates(&r).Error
		if err != nil {
			return fmt.Errorf("update automation: %w", err)
		}
		out = a
		return nil
	})
	return out, err
}

// Delete retires a rule: it stops running (runs still scheduled are
// skipped) and disappears from the API, while its runs and the codes it
// issued keep their history.
func (s *Service) Delete(ctx context.Context, actor auth.Actor, automationID string) error {
	if err := canManage(actor); err != nil {
		return err
	}
	if !id.Valid("auto", automationID) {
		return ErrNotFound
	}
	now := s.clock()
	res := s.db.Conn(ctx).Model(&automationRow{}).Where("id = ? AND deleted_at IS NULL", automationID).
		Updates(map[string]any{"deleted_at": now, "active": false, "updated_at": now})
	if res.Error != nil {
		return fmt.Errorf("delete automation: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}

// Get returns one rule.
func (s *Service) Get(ctx context.Context, actor auth.Actor, automationID string) (Automation, error) {
	if err := canManage(actor); err != nil {
		return Automation{}, err
	}
	return s.live(ctx, automationID)
}

// Filter narrows List.
type Filter struct {
	// Trigger keeps the rules on one event type.
	Trigger string
	// Active keeps rules with that flag.
	Active *bool
}

// List lists rules oldest first.
func (s *Service) List(ctx context.Context, actor auth.Actor, f Filter, pr page.Request) (page.List[Automation], error) {
	if err := canManage(actor); err != nil {
		return page.List[Automation]{}, err
	}
	q := s.db.Conn(ctx).Where("deleted_at IS NULL").Order("id").Limit(pr.Limit + 1)
	if f.Trigger != "" {
		q = q.Where("trigger_type = ?", f.Trigger)
	}
	if f.Active != nil {
		q = q.Where("active = ?", *f.Active)
	}
	if !pr.Cursor.IsZero() {
		q = q.Where("id > ?", pr.Cursor.ID)
	}
	var rows []automationRow
	if err := q.Find(&rows).Error; err != nil {
		return page.List[Automation]{}, fmt.Errorf("list automations: %w", err)
	}
	out := make([]Automation, 0, len(rows))
	for _, r := range rows {
		a, err := r.automation()
		if err != nil {
			return page.List[Automation]{}, err
		}
		out = append(out, a)
	}
	return page.Build(out, pr.Limit, func(a Automation) page.Cursor { return page.Cursor{ID: a.ID} }), nil
}

// Runs lists a rule's runs newest first, optionally of one status.
func (s *Service) Runs(ctx context.Context, actor auth.Actor, automationID, status string, pr page.Request) (page.List[Run], error) {
	if err := canManage(actor); err != nil {
		return page.List[Run]{}, err
	}
	if _, err := s.live(ctx, automationID); err != nil {
		return page.List[Run]{}, err
	}
	q := s.db.Conn(ctx).Where("automation_id = ?", automationID).Order("id DESC").Limit(pr.Limit + 1)
	switch status {
	case "":
	case RunScheduled, RunSkipped, RunSucceeded, RunFailed:
		q = q.Where("status = ?", status)
	default:
		return page.List[Run]{}, errs.Invalidf("status", "must be scheduled, skipped, succeeded or failed")
	}
	if !pr.Cursor.IsZero() {
		q = q.Where("id < ?", pr.Cursor.ID)
	}
	var rows []runRow
	if err := q.Find(&rows).Error; err != nil {
		return page.List[Run]{}, fmt.Errorf("list automation runs: %w", err)
	}
	out := make([]Run, 0, len(rows))
	for _, r := range rows {
		run, err := r.run()
		if err != nil {
			return page.List[Run]{}, err
		}
		out = append(out, run)
	}
	return page.Build(out, pr.Limit, func(r Run) page.Cursor { return page.Cursor{ID: r.ID} }), nil
}

// live reads a rule that was not deleted; unknown, malformed and deleted
// ids are ErrNotFound.
func (s *Service) live(ctx context.Context, automationID string) (Automation, error) {
	r, err := s.rule(ctx, automationID)
	if err != nil {
		return Automation{}, err
	}
	if r.DeletedAt != nil {
		return Automation{}, ErrNotFound
	}
	return r.automation()
}

// rule reads a rule's row, deleted or not.
func (s *Service) rule(ctx context.Context, automationID string) (automationRow, error) {
	if !id.Valid("auto", automationID) {
		return automationRow{}, ErrNotFound
	}
	var r automationRow
	err := s.db.Conn(ctx).Where("id = ?", automationID).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return automationRow{}, ErrNotFound
	}
	if err != nil {
		return automationRow{}, fmt.Errorf("read automation: %w", err)
	}
	return r, nil
}

func orEmpty[T any](l []T) []T {
	if l == nil {
		return []T{}
	}
	return l
}
