package customers

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/id"
	"storekeep/internal/platform/page"
)

// Who manages customers: admins and managers change groups and accounts;
// support staff read them too (roles: docs/auth.md).
func canManage(a auth.Actor) error {
	if !a.HasRole(auth.RoleManager) {
		return ErrForbidden
	}
	return nil
}

func canRead(a auth.Actor) error {
	if !a.HasRole(auth.RoleManager, auth.RoleSupport) {
		return ErrForbidden
	}
	return nil
}

// CreateGroup adds a customer group.
func (s *Service) CreateGroup(ctx context.Context, actor auth.Actor, in GroupInput) (Group, error) {
	if err := canManage(actor); err != nil {
		return Group{}, err
	}
	now := s.clock()
	g := Group{ID: id.New("cgrp"), Name: strings.TrimSpace(in.Name), Description: strings.TrimSpace(in.Description),
		CreatedAt: now, UpdatedAt: now}
	if err := checkGroup(g); err != nil {
		return Group{}, err
	}
	if _, err := parseRules(in.Rules); err != nil {
		return Group{}, err
	}
	rj, err := encodeRules(in.Rules)
	if err != nil {
		return Group{}, err
	}
	g.RulesJSON = rj
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.db.Conn(ctx).Create(&g).Error; err != nil {
			return groupWriteErr(err)
		}
		if g.RuleBased() {
			return s.queueGroupRecompute(ctx, g.ID)
		}
		return nil
	})
	if err != nil {
		return Group{}, err
	}
	g.normalise()
	return g, nil
}

// UpdateGroup changes a group's name or description.
func (s *Service) UpdateGroup(ctx context.Context, actor auth.Actor, groupID string, p GroupPatch) (Group, error) {
	if err := canManage(actor); err != nil {
		return Group{}, err
	}
	var out Group
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		g, err := s.group(ctx, groupID)
		if err != nil {
			return err
		}
		setTrimmed(&g.Name, p.Name)
		setTrimmed(&g.Description, p.Description)
		if err := checkGroup(g); err != nil {
			return err
		}
		if p.Rules != nil {
			if _, err := parseRules(*p.Rules); err != nil {
				return err
			}
			if g.RulesJSON, err = encodeRules(*p.Rules); err != nil {
				return err
			}
		}
		g.UpdatedAt = s.clock()
		err = s.db.Conn(ctx).Model(&Group{ID: g.ID}).Select("name", "description", "rules", "updated_at").UpdateColumns(&g).Error
		if err != nil {
			return groupWriteErr(err)
		}
		if p.Rules != nil && g.RuleBased() {
			if err := s.queueGroupRecompute(ctx, g.ID); err != nil {
				return err
			}
		}
		g.normalise()
		out = g
		return nil
	})
	return out, err
}

// DeleteGroup deletes a group and its memberships (customers stay).
func (s *Service) DeleteGroup(ctx context.Context, actor auth.Actor, groupID string) error {
	if err := canManage(actor); err != nil {
		return err
	}
	if !id.Valid("cgrp", groupID) {
		return ErrGroupNotFound
	}
	res := s.db.Conn(ctx).Where("id = ?", groupID).Delete(&Group{})
	if errors.Is(res.Error, gorm.ErrForeignKeyViolated) {
		return ErrGroupInUse
	}
	if res.Error != nil {
		return fmt.Errorf("delete group: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrGroupNotFound
	}
	return nil
}

// Group returns one group.
func (s *Service) Group(ctx context.Context, actor auth.Actor, groupID string) (Group, error) {
	if err := canRead(actor); err != nil {
		return Group{}, err
	}
	return s.group(ctx, groupID)
}

// Groups lists groups by name (then id).
func (s *Service) Groups(ctx context.Context, actor auth.Actor, pr page.Request) (page.List[Group], error) {
	if err := canRead(actor); err != nil {
		return page.List[Group]{}, err
	}
	var rows []Group
	q := s.db.Conn(ctx).Order("name").Order("id").Limit(pr.Limit + 1)
	if !pr.Cursor.IsZero() {
		q = q.Where("name > ? OR (name = ? AND id > ?)", pr.Cursor.Key, pr.Cursor.Key, pr.Cursor.ID)
	}
	if err := q.Find(&rows).Error; err != nil {
		return page.List[Group]{}, fmt.Errorf("list groups: %w", err)
	}
	for i := range rows {
		rows[i].normalise()
	}
	return page.Build(rows, pr.Limit, func(g Group) page.Cursor { return page.Cursor{Key: g.Name, ID: g.ID} }), nil
}

// AddToGroup makes a customer a member of a group; adding a member again
// changes nothing.
func (s *Service) AddToGroup(ctx context.Context, actor auth.Actor, groupID, customerID string) error {
	if err := canManage(actor); err != nil {
		return err
	}
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		if _, err := s.manualGroup(ctx, groupID); err != nil {
			return err
		}
		if _, err := s.anyCustomer(ctx, customerID); err != nil {
			return err
		}
		return s.addMember(ctx, groupID, customerID)
	})
}

// JoinGroup makes an active customer a member of a group, as AddToGroup does,
// for trusted internal callers without an actor (an automation's
// add_to_group action, run from a job). An unknown group is
// ErrGroupNotFound, a rule-based group ErrRuleBasedGroup, an unknown or
// archived customer ErrNotFound; a member already is left as is.
func (s *Service) JoinGroup(ctx context.Context, groupID, customerID string) error {
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		if _, err := s.manualGroup(ctx, groupID); err != nil {
			return err
		}
		if _, err := s.Get(ctx, customerID); err != nil {
			return err
		}
		return s.addMember(ctx, groupID, customerID)
	})
}

// RemoveFromGroup ends a membership; a customer who is not a member is 404.
func (s *Service) RemoveFromGroup(ctx context.Context, actor auth.Actor, groupID, customerID string) error {
	if err := canManage(actor); err != nil {
		return err
	}
	if _, err := s.manualGroup(ctx, groupID); err != nil {
		return err
	}
	res := s.db.Conn(ctx).Where("group_id = ? AND customer_id = ?", groupID, customerID).Delete(&member{})
	if res.Error != nil {
		return fmt.Errorf("delete membership: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrNotMember
	}
	return nil
}

// ErrNotMember is the 404 for removing a customer who is not in the group.
var ErrNotMember = errs.New(errs.NotFound, "not_found", "the customer is not a member of this group")

// GroupIDs returns the ids of the groups the customer belongs to, sorted.
// Promotions restricted to groups check it at apply time and at checkout.
func (s *Service) GroupIDs(ctx context.Context, customerID string) ([]string, error) {
	ids := []string{}
	err := s.db.Conn(ctx).Model(&member{}).Where("customer_id = ?", customerID).Order("group_id").
		Pluck("group_id", &ids).Error
	if err != nil {
		return nil, fmt.Errorf("read group ids: %w", err)
	}
	return ids, nil
}

// customerGroups returns the groups of a customer, by name.
func (s *Service) customerGroups(ctx context.Context, customerID string) ([]Group, error) {
	gs := []Group{}
	err := s.db.Conn(ctx).Where("id IN (?)", s.db.Conn(ctx).Model(&member{}).Select("group_id").
		Where("customer_id = ?", customerID)).Order("name").Order("id").Find(&gs).Error
	if err != nil {
		return nil, fmt.Errorf("read customer groups: %w", err)
	}
	for i := range gs {
		gs[i].normalise()
	}
	return gs, nil
}

func (s *Service) addMember(ctx context.Context, groupID, customerID string) error {
	err := s.db.Conn(ctx).Exec("INSERT INTO customer_group_members (group_id, customer_id, created_at) "+
		"VALUES (?, ?, ?) ON CONFLICT DO NOTHING", groupID, customerID, s.clock()).Error
	if err != nil {
		return fmt.Errorf("insert membership: %w", err)
	}
	return nil
}

// manualGroup is group, refusing a rule-based one (ErrRuleBasedGroup).
func (s *Service) manualGroup(ctx context.Context, groupID string) (Group, error) {
	g, err := s.group(ctx, groupID)
	if err == nil && g.RuleBased() {
		return Group{}, ErrRuleBasedGroup
	}
	return g, err
}

func (s *Service) group(ctx context.Context, groupID string) (Group, error) {
	if !id.Valid("cgrp", groupID) {
		return Group{}, ErrGroupNotFound
	}
	var g Group
	err := s.db.Conn(ctx).Where("id = ?", groupID).Take(&g).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Group{}, ErrGroupNotFound
	}
	if err != nil {
		return Group{}, fmt.Errorf("read group: %w", err)
	}
	g.normalise()
	return g, nil
}

func checkGroup(g Group) error {
	var fe []errs.FieldError
	switch {
	case g.Name == "":
		fe = append(fe, errs.FieldError{Field: "name", Message: "is required"})
	case utf8.RuneCountInString(g.Name) > MaxGroupNameLen:
		fe = append(fe, errs.FieldError{Field: "name", Message: fmt.Sprintf("must be at most %d characters", MaxGroupNameLen)})
	}
	if utf8.RuneCountInString(g.Description) > MaxGroupDescriptionLen {
		fe = append(fe, errs.FieldError{Field: "description",
			Message: fmt.Sprintf("must be at most %d characters", MaxGroupDescriptionLen)})
	}
	if len(fe) > 0 {
		return errs.ErrValidation.WithFields(fe...)
	}
	return nil
}

func groupWriteErr(err error) error {
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return ErrGroupNameTaken
	}
	return fmt.Errorf("write group: %w", err)
}
