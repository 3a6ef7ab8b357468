package automations

import (
	"encoding/json"
	"fmt"
	"time"
)

// automationRow is the automations table; conditions and actions are JSON.
type automationRow struct {
	ID           string
	Name         string
	TriggerType  string
	DelaySeconds int64
	Conditions   string
	Actions      string
	Active       bool
	CreatedAt    time.Time
	UpdatedAt    time.Time
	DeletedAt    *time.Time
}

func (automationRow) TableName() string { return "automations" }

func (a Automation) row() (automationRow, error) {
	conds, err := json.Marshal(a.Conditions)
	if err != nil {
		return automationRow{}, fmt.Errorf("encode conditions: %w", err)
	}
	acts, err := json.Marshal(a.Actions)
	if err != nil {
		return automationRow{}, fmt.Errorf("encode actions: %w", err)
	}
	return automationRow{ID: a.ID, Name: a.Name, TriggerType: a.Trigger, DelaySeconds: a.DelaySeconds,
		Conditions: string(conds), Actions: string(acts), Active: a.Active, CreatedAt: a.CreatedAt,
		UpdatedAt: a.UpdatedAt}, nil
}

func (r automationRow) automation() (Automation, error) {
	a := Automation{ID: r.ID, Name: r.Name, Trigger: r.TriggerType, DelaySeconds: r.DelaySeconds,
		Conditions: []Condition{}, Actions: []Action{}, Active: r.Active, CreatedAt: r.CreatedAt.UTC(),
		UpdatedAt: r.UpdatedAt.UTC()}
	if err := json.Unmarshal([]byte(r.Conditions), &a.Conditions); err != nil {
		return Automation{}, fmt.Errorf("decode conditions of %s: %w", r.ID, err)
	}
	if err := json.Unmarshal([]byte(r.Actions), &a.Actions); err != nil {
		return Automation{}, fmt.Errorf("decode actions of %s: %w", r.ID, err)
	}
	return a, nil
}

// runRow is the automation_runs table; actions is JSON.
type runRow struct {
	ID           string
	AutomationID string
	EventID      string
	EventType    string
	Status       string
	Reason       string
	Actions      string
	Attempts     int64
	ScheduledAt  time.Time
	FinishedAt   *time.Time
	CreatedAt    time.Time
}

func (runRow) TableName() string { return "automation_runs" }

func (r runRow) run() (Run, error) {
	out := Run{ID: r.ID, AutomationID: r.AutomationID, EventID: r.EventID, EventType: r.EventType,
		Status: r.Status, Actions: []RunAction{}, Attempts: r.Attempts, ScheduledAt: r.ScheduledAt.UTC(),
		CreatedAt: r.CreatedAt.UTC()}
	if r.Reason != "" {
		reason := r.Reason
		out.Reason = &reason
	}
	if r.FinishedAt != nil {
		t := r.FinishedAt.UTC()
		out.FinishedAt = &t
	}
	if err := json.Unmarshal([]byte(r.Actions), &out.Actions); err != nil {
		return Run{}, fmt.Errorf("decode run %s: %w", r.ID, err)
	}
	return out, nil
}

// issuedRow is the issued_discounts table.
type issuedRow struct {
	ID           string
	CustomerID   string
	PromotionID  string
	Code         string
	Source       string
	AutomationID *string
	RunID        *string
	StaffID      *string
	DedupeKey    string
	CreatedAt    time.Time
}

func (issuedRow) TableName() string { return "issued_discounts" }
