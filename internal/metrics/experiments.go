package metrics

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/id"
	"storekeep/internal/platform/page"
)

// Experiment statuses: draft -> running -> stopped, nothing else.
const (
	StatusDraft   = "draft"
	StatusRunning = "running"
	StatusStopped = "stopped"
)

// Experiment metrics.
const (
	MetricConversionRate    = "conversion_rate"
	MetricAverageOrderValue = "average_order_value"
)

// Experiment errors.
var (
	ErrExperimentKeyTaken = errs.New(errs.Conflict, "experiment_key_taken", "another experiment has this key")
	ErrArmsLocked         = errs.New(errs.Conflict, "experiment_not_draft",
		"arms can only change while the experiment is a draft: shoppers are already assigned")
	ErrBadTransition = errs.New(errs.Conflict, "invalid_status_transition",
		"an experiment goes from draft to running to stopped, never back")
)

// Arm is one variant of an experiment; a shopper lands in it with
// probability weight / (sum of weights). The first arm is the control.
type Arm struct {
	Key    string `json:"key" binding:"required" maxLength:"64" example:"control"`
	Weight int    `json:"weight" binding:"required" minimum:"1" maximum:"10000" example:"50"`
} // @name ExperimentArm

// Experiment is an A/B test.
type Experiment struct {
	ID     string `json:"id" binding:"required" example:"exp_06h1wbq28dxanf5st2bqp8yfxm"`
	Key    string `json:"key" binding:"required" example:"checkout-button"`
	Name   string `json:"name" binding:"required" example:"Green checkout button"`
	Arms   []Arm  `json:"arms" binding:"required"`
	Metric string `json:"metric" binding:"required" enums:"conversion_rate,average_order_value" example:"conversion_rate"`
	Status string `json:"status" binding:"required" enums:"draft,running,stopped" example:"running"`
	// StartedAt and StoppedAt are when it went running and stopped.
	StartedAt *time.Time `json:"started_at" binding:"required" extensions:"x-nullable" format:"date-time" example:"2025-01-31T12:00:00Z"`
	StoppedAt *time.Time `json:"stopped_at" binding:"required" extensions:"x-nullable" format:"date-time" example:"2025-02-28T12:00:00Z"`
	CreatedAt time.Time  `json:"created_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
	UpdatedAt time.Time  `json:"updated_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
} // @name Experiment

// ExperimentInput creates an experiment.
type ExperimentInput struct {
	// Key is how storefronts name it: lower-case letters, digits, - and _.
	Key    string `json:"key" binding:"required" maxLength:"64" example:"checkout-button"`
	Name   string `json:"name" binding:"required" maxLength:"200" example:"Green checkout button"`
	Arms   []Arm  `json:"arms" binding:"required" minItems:"2" maxItems:"10"`
	Metric string `json:"metric" binding:"required" enums:"conversion_rate,average_order_value" example:"conversion_rate"`
	// Status is draft (default) or running.
	Status string `json:"status,omitempty" enums:"draft,running" example:"draft"`
} // @name ExperimentInput

// ExperimentPatch changes an experiment: arms only while it is a draft;
// status only forward (draft -> running -> stopped). The key cannot change.
type ExperimentPatch struct {
	Name   *string `json:"name,omitempty" maxLength:"200" example:"Green checkout button"`
	Arms   []Arm   `json:"arms,omitempty" minItems:"2" maxItems:"10"`
	Metric *string `json:"metric,omitempty" enums:"conversion_rate,average_order_value" example:"conversion_rate"`
	Status *string `json:"status,omitempty" enums:"draft,running,stopped" example:"running"`
} // @name ExperimentPatch

// experimentRow is a row of experiments (arms as JSON text).
type experimentRow struct {
	ID        string
	Key       string
	Name      string
	Arms      string
	Metric    string
	Status    string
	StartedAt *time.Time
	StoppedAt *time.Time
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (experimentRow) TableName() string { return "experiments" }

func (r experimentRow) experiment() (Experiment, error) {
	e := Experiment{ID: r.ID, Key: r.Key, Name: r.Name, Metric: r.Metric, Status: r.Status, StartedAt: r.StartedAt,
		StoppedAt: r.StoppedAt, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	if err := json.Unmarshal([]byte(r.Arms), &e.Arms); err != nil {
		return e, fmt.Errorf("experiment %s arms: %w", r.ID, err)
	}
	return e, nil
}

var keyPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)

// CreateExperiment validates in and creates the experiment.
func (s *Tracker) CreateExperiment(ctx context.Context, actor auth.Actor, in ExperimentInput) (Experiment, error) {
	if err := canManage(actor); err != nil {
		return Experiment{}, err
	}
	if in.Status == "" {
		in.Status = StatusDraft
	}
	now := s.now()
	e := Experiment{ID: id.New("exp"), Key: in.Key, Name: strings.TrimSpace(in.Name), Arms: in.Arms, Metric: in.Metric,
		Status: in.Status, CreatedAt: now, UpdatedAt: now}
	var fe []errs.FieldError
	if !keyPattern.MatchString(in.Key) {
		fe = append(fe, errs.FieldError{Field: "key", Message: "must be 1 to 64 lower-case letters, digits, - or _"})
	}
	if in.Status != StatusDraft && in.Status != StatusRunning {
		fe = append(fe, errs.FieldError{Field: "status", Message: "must be draft or running"})
	}
	if err := checkExperiment(fe, e); err != nil {
		return Experiment{}, err
	}
	if e.Status == StatusRunning {
		e.StartedAt = &now
	}
	r := toRow(e)
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		var n int64
		if err := s.db.Conn(ctx).Model(&experimentRow{}).Where("key = ?", e.Key).Count(&n).Error; err != nil {
			return fmt.Errorf("check experiment key: %w", err)
		}
		if n > 0 {
			return ErrExperimentKeyTaken
		}
		return s.db.Conn(ctx).Create(&r).Error
	})
	if err != nil {
		if _, ok := errs.As(err); ok {
			return Experiment{}, err
		}
		// A concurrent create with the same key loses on the unique index.
		if errors.Is(err, gorm.ErrDuplicatedKey) || strings.Contains(strings.ToLower(err.Error()), "unique") {
			return Experiment{}, ErrExperimentKeyTaken
		}
		return Experiment{}, fmt.Errorf("insert experiment: %w", err)
	}
	return e, nil
}

// UpdateExperiment changes an experiment.
func (s *Tracker) UpdateExperiment(ctx context.Context, actor auth.Actor, expID string, p ExperimentPatch) (Experiment, error) {
	if err := canManage(actor); err != nil {
		return Experiment{}, err
	}
	var out Experiment
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		e, err := s.experiment(ctx, "id", expID)
		if err != nil {
			return err
		}
		readStatus := e.Status
		if p.Arms != nil && e.Status != StatusDraft {
			return ErrArmsLocked
		}
		now := s.now()
		if p.Status != nil && *p.Status != e.Status {
			switch {
			case e.Status == StatusDraft && *p.Status == StatusRunning:
				e.StartedAt = &now
			case e.Status == StatusRunning && *p.Status == StatusStopped:
				e.StoppedAt = &now
			case *p.Status != StatusDraft && *p.Status != StatusRunning && *p.Status != StatusStopped:
				return errs.Invalidf("status", "must be draft, running or stopped")
			default:
				return ErrBadTransition
			}
			e.Status = *p.Status
		}
		if p.Name != nil {
			e.Name = strings.TrimSpace(*p.Name)
		}
		if p.Metric != nil {
			e.Metric = *p.Metric
		}
		if p.Arms != nil {
			e.Arms = p.Arms
		}
		if err := checkExperiment(nil, e); err != nil {
			return err
		}
		e.UpdatedAt = now
		r := toRow(e)
		// The status guard makes two racing changes of one experiment land
		// once (arms edited while another request starts it, two starts):
		// the loser updates nothing and gets 409.
		res := s.db.Conn(ctx).Model(&experimentRow{}).Where("id = ? AND status = ?", e.ID, readStatus).
			Select("name", "arms", "metric", "status", "started_at", "stopped_at", "updated_at").Updates(&r)
		if res.Error != nil {
			return fmt.Errorf("update experiment: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrBadTransition
		}
		out = e
		return nil
	})
	return out, err
}

// GetExperiment reads one experiment.
func (s *Tracker) GetExperiment(ctx context.Context, actor auth.Actor, expID string) (Experiment, error) {
	if err := canManage(actor); err != nil {
		return Experiment{}, err
	}
	return s.experiment(ctx, "id", expID)
}

// ListExperiments lists experiments, newest last, optionally of one status.
func (s *Tracker) ListExperiments(ctx context.Context, actor auth.Actor, status string, pr page.Request) (page.List[Experiment], error) {
	if err := canManage(actor); err != nil {
		return page.List[Experiment]{}, err
	}
	q := s.db.Conn(ctx).Model(&experimentRow{}).Order("id").Limit(pr.Limit + 1)
	if status != "" {
		q = q.Where("status = ?", status)
	}
	if !pr.Cursor.IsZero() {
		q = q.Where("id > ?", pr.Cursor.ID)
	}
	var rows []experimentRow
	if err := q.Find(&rows).Error; err != nil {
		return page.List[Experiment]{}, fmt.Errorf("list experiments: %w", err)
	}
	out := make([]Experiment, len(rows))
	for i, r := range rows {
		e, err := r.experiment()
		if err != nil {
			return page.List[Experiment]{}, err
		}
		out[i] = e
	}
	return page.Build(out, pr.Limit, func(e Experiment) page.Cursor { return page.Cursor{ID: e.ID} }), nil
}

// experiment reads the experiment whose column (id or key) is v.
func (s *Tracker) experiment(ctx context.Context, column, v string) (Experiment, error) {
	var r experimentRow
	err := s.db.Conn(ctx).Where(column+" = ?", v).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Experiment{}, errs.ErrNotFound
	}
	if err != nil {
		return Experiment{}, fmt.Errorf("read experiment: %w", err)
	}
	return r.experiment()
}

func toRow(e Experiment) experimentRow {
	arms, _ := json.Marshal(e.Arms)
	return experimentRow{ID: e.ID, Key: e.Key, Name: e.Name, Arms: string(arms), Metric: e.Metric, Status: e.Status,
		StartedAt: e.StartedAt, StoppedAt: e.StoppedAt, CreatedAt: e.CreatedAt, UpdatedAt: e.UpdatedAt}
}

// checkExperiment adds the experiment's rules to fe.
func checkExperiment(fe []errs.FieldError, e Experiment) error {
	add := func(field, format string, args ...any) {
		fe = append(fe, errs.FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	switch {
	case e.Name == "":
		add("name", "is required")
	case utf8.RuneCountInString(e.Name) > 200:
		add("name", "must be at most 200 characters")
	}
	if e.Metric != MetricConversionRate && e.Metric != MetricAverageOrderValue {
		add("metric", "must be conversion_rate or average_order_value")
	}
	if len(e.Arms) < 2 || len(e.Arms) > 10 {
		add("arms", "must list 2 to 10 arms")
	}
	seen := map[string]bool{}
	for i, a := range e.Arms {
		switch {
		case !keyPattern.MatchString(a.Key):
			add(fmt.Sprintf("arms[%d].key", i), "must be 1 to 64 lower-case letters, digits, - or _")
		case seen[a.Key]:
			add(fmt.Sprintf("arms[%d].key", i), "is used by another arm")
		}
		seen[a.Key] = true
		if a.Weight < 1 || a.Weight > 10000 {
			add(fmt.Sprintf("arms[%d].weight", i), "must be between 1 and 10000")
		}
	}
	if len(fe) > 0 {
		return errs.ErrValidation.WithFields(fe...)
	}
	return nil
}
