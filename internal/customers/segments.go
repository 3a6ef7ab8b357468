package customers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/events"
	"storekeep/internal/platform/jobs"
)

// SegmentsInterval is how often every rule-based group is recomputed in
// full, so rules that depend on the clock (last_order_at) and facts that
// change without an event (the acquisition channel) catch up.
const SegmentsInterval = 24 * time.Hour

// segmentBatch is how many customers one recompute transaction covers.
const segmentBatch = 200

// SetJobs wires the job runner that recomputes segments. Without it (unit
// tests) nothing is queued and memberships change only through
// RecomputeSegments calls.
func (s *Service) SetJobs(r *jobs.Runner) { s.jobs = r }

// segment is a rule-based group with its rules parsed.
type segment struct {
	id    string
	rules []rule
}

// segments reads the rule-based groups, all of them or only groupID's.
func (s *Service) segments(ctx context.Context, groupID string) ([]segment, error) {
	var gs []Group
	q := s.db.Conn(ctx).Where("rules IS NOT NULL").Order("id")
	if groupID != "" {
		q = q.Where("id = ?", groupID)
	}
	if err := q.Find(&gs).Error; err != nil {
		return nil, fmt.Errorf("read segments: %w", err)
	}
	out := make([]segment, 0, len(gs))
	for _, g := range gs {
		g.normalise()
		rs, err := parseRules(g.Rules)
		if err != nil {
			return nil, fmt.Errorf("segment %s: stored rules: %w", g.ID, err)
		}
		out = append(out, segment{id: g.ID, rules: rs})
	}
	return out, nil
}

// factsRow is what the customers table holds for the rules.
type factsRow struct {
	ID                 string
	ArchivedAt         *time.Time
	AcquisitionChannel *string
	SkinProfile        *string
}

// factsOf gathers what the rules look at about one customer: its orders'
// figures (the staff view's), acquisition channel, quiz skin type and the
// country of its default shipping address (else its newest address).
func (s *Service) factsOf(ctx context.Context, r factsRow) (facts, error) {
	st, err := s.orderStats(ctx, r.ID)
	if err != nil {
		return facts{}, fmt.Errorf("order stats: %w", err)
	}
	f := facts{orderCount: st.OrderCount, spent: st.LifetimeSpend, lastOrderAt: st.LastOrderAt}
	if r.AcquisitionChannel != nil {
		f.channel = strings.ToLower(strings.TrimSpace(*r.AcquisitionChannel))
	}
	if r.SkinProfile != nil && *r.SkinProfile != "" {
		var p SkinProfile
		if json.Unmarshal([]byte(*r.SkinProfile), &p) == nil {
			f.skinType = strings.ToLower(strings.TrimSpace(p.SkinType))
		}
	}
	var countries []string
	err = s.db.Conn(ctx).Model(&Address{}).Where("customer_id = ?", r.ID).
		Order("is_default_shipping DESC").Order("id DESC").Limit(1).Pluck("country_code", &countries).Error
	if err != nil {
		return facts{}, fmt.Errorf("read country: %w", err)
	}
	if len(countries) > 0 {
		f.country = strings.ToLower(countries[0])
	}
	return f, nil
}

// eachCustomer calls fn for every customer (archived ones too) with its
// facts row, segmentBatch customers per transaction, newest first.
func (s *Service) eachCustomer(ctx context.Context, fn func(ctx context.Context, r factsRow) error) error {
	after := ""
	for {
		var rows []factsRow
		err := s.db.WithTx(ctx, func(ctx context.Context) error {
			q := s.db.Conn(ctx).Model(&Customer{}).
				Select("id", "archived_at", "acquisition_channel", "skin_profile").Order("id DESC").Limit(segmentBatch)
			if after != "" {
				q = q.Where("id < ?", after)
			}
			if err := q.Scan(&rows).Error; err != nil {
				return fmt.Errorf("read customers: %w", err)
			}
			for _, r := range rows {
				if err := fn(ctx, r); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil || len(rows) < segmentBatch {
			return err
		}
		after = rows[len(rows)-1].ID
	}
}

// apply makes the customer's memberships of segs match their rules: an
// archived customer is in none.
func (s *Service) apply(ctx context.Context, segs []segment, r factsRow) error {
	if len(segs) == 0 {
		return nil
	}
	var f facts
	if r.ArchivedAt == nil {
		var err error
		if f, err = s.factsOf(ctx, r); err != nil {
			return err
		}
	}
	now := s.clock()
	for _, g := range segs {
		if r.ArchivedAt == nil && matches(g.rules, f, now) {
			if err := s.addMember(ctx, g.id, r.ID); err != nil {
				return err
			}
			continue
		}
		if err := s.db.Conn(ctx).Where("group_id = ? AND customer_id = ?", g.id, r.ID).Delete(&member{}).Error; err != nil {
			return fmt.Errorf("delete membership: %w", err)
		}
	}
	return nil
}

// RecomputeCustomer brings one customer's memberships of every rule-based
// group up to date. An unknown customer changes nothing.
func (s *Service) RecomputeCustomer(ctx context.Context, customerID string) error {
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		segs, err := s.segments(ctx, "")
		if err != nil || len(segs) == 0 {
			return err
		}
		var rows []factsRow
		err = s.db.Conn(ctx).Model(&Customer{}).Select("id", "archived_at", "acquisition_channel", "skin_profile").
			Where("id = ?", customerID).Scan(&rows).Error
		if err != nil {
			return fmt.Errorf("read customer: %w", err)
		}
		for _, r := range rows {
			if err := s.apply(ctx, segs, r); err != nil {
				return err
			}
		}
		return nil
	})
}

// RecomputeSegments brings the members of one rule-based group (groupID),
// or of all of them (""), up to date over every customer.
func (s *Service) RecomputeSegments(ctx context.Context, groupID string) error {
	segs, err := s.segments(ctx, groupID)
	if err != nil || len(segs) == 0 {
		return err
	}
	return s.eachCustomer(ctx, func(ctx context.Context, r factsRow) error { return s.apply(ctx, segs, r) })
}

// PreviewSegment counts the active customers a rule set selects now,
// without saving anything. Admins, managers and support staff.
func (s *Service) PreviewSegment(ctx context.Context, actor auth.Actor, in PreviewInput) (Preview, error) {
	if err := canRead(actor); err != nil {
		return Preview{}, err
	}
	if len(in.Rules) == 0 {
		return Preview{}, errRulesRequired
	}
	rs, err := parseRules(in.Rules)
	if err != nil {
		return Preview{}, err
	}
	out := Preview{Sample: []string{}}
	now := s.clock()
	err = s.eachCustomer(ctx, func(ctx context.Context, r factsRow) error {
		if r.ArchivedAt != nil {
			return nil
		}
		f, err := s.factsOf(ctx, r)
		if err != nil {
			return err
		}
		if matches(rs, f, now) {
			out.Size++
			if len(out.Sample) < 10 {
				out.Sample = append(out.Sample, r.ID)
			}
		}
		return nil
	})
	return out, err
}

var errRulesRequired = errs.Invalidf("rules", "must have at least one rule")

// queueGroupRecompute enqueues the full recompute of one group in ctx's
// transaction.
func (s *Service) queueGroupRecompute(ctx context.Context, groupID string) error {
	if s.jobs == nil {
		return nil
	}
	return s.jobs.Enqueue(ctx, SegmentGroupArgs{GroupID: groupID}, nil)
}

// queueCustomerRecompute enqueues the recompute of one customer's segments
// in ctx's transaction, when there is any rule-based group.
func (s *Service) queueCustomerRecompute(ctx context.Context, customerID string) error {
	if s.jobs == nil || customerID == "" {
		return nil
	}
	var n int64
	if err := s.db.Conn(ctx).Model(&Group{}).Where("rules IS NOT NULL").Limit(1).Count(&n).Error; err != nil {
		return fmt.Errorf("count segments: %w", err)
	}
	if n == 0 {
		return nil
	}
	return s.jobs.Enqueue(ctx, SegmentCustomerArgs{CustomerID: customerID}, nil)
}

// OnEvent is the events consumer (events.Dispatcher.Subscribe): an order.*
// or customer.* event queues the recompute of its customer's segments in
// the dispatch transaction. Guests' orders are skipped.
func (s *Service) OnEvent(ctx context.Context, e events.Event) error {
	var customerID string
	switch {
	case strings.HasPrefix(e.Type, "customer."):
		customerID = e.SubjectID
	case strings.HasPrefix(e.Type, "order."):
		var p struct {
			CustomerID *string `json:"customer_id"`
		}
		if err := json.Unmarshal(e.Payload, &p); err != nil {
			return nil // not an order payload this consumer can read; the nightly run catches up
		}
		if p.CustomerID != nil {
			customerID = *p.CustomerID
		}
	default:
		return nil
	}
	return s.queueCustomerRecompute(ctx, customerID)
}

// SegmentCustomerArgs is the job recomputing one customer's segments.
type SegmentCustomerArgs struct {
	CustomerID string `json:"customer_id"`
}

// Kind names the job.
func (SegmentCustomerArgs) Kind() string { return "customers.segments.customer" }

// SegmentGroupArgs is the job recomputing one rule-based group's members,
// or every group's when GroupID is empty (the nightly run).
type SegmentGroupArgs struct {
	GroupID string `json:"group_id"`
}

// Kind names the job.
func (SegmentGroupArgs) Kind() string { return "customers.segments.group" }

type segmentCustomerWorker struct {
	jobs.WorkerDefaults[SegmentCustomerArgs]
	svc *Service
}

func (w *segmentCustomerWorker) Work(ctx context.Context, j *jobs.Job[SegmentCustomerArgs]) error {
	return w.svc.RecomputeCustomer(ctx, j.Args.CustomerID)
}

type segmentGroupWorker struct {
	jobs.WorkerDefaults[SegmentGroupArgs]
	svc *Service
}

func (w *segmentGroupWorker) Work(ctx context.Context, j *jobs.Job[SegmentGroupArgs]) error {
	err := w.svc.RecomputeSegments(ctx, j.Args.GroupID)
	if errors.Is(err, ErrGroupNotFound) {
		return nil // deleted since
	}
	return err
}

// RegisterJobs registers the segment workers and the nightly recompute and
// wires r into s; call it while wiring, before the runner starts, and
// subscribe OnEvent to the events dispatcher.
func RegisterJobs(r *jobs.Runner, s *Service) {
	s.SetJobs(r)
	jobs.Register(r, &segmentCustomerWorker{svc: s})
	jobs.Register(r, &segmentGroupWorker{svc: s})
	r.Periodic(SegmentsInterval, func() jobs.Args { return SegmentGroupArgs{} }, true)
}
