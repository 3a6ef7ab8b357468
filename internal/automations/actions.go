package automations

import (
	"context"
	"encoding/json"
	"fmt"
)

// perform does the rule's actions in order. Each runs behind a savepoint: an
// action that fails as an outcome (failureOf) is undone alone and recorded,
// and the next one still runs; any other error aborts the run's attempt.
func (s *Service) perform(ctx context.Context, run runRow, a Automation, sub *subject) ([]RunAction, error) {
	out := make([]RunAction, len(a.Actions))
	conn := s.db.Conn(ctx)
	for i, ac := range a.Actions {
		sp := fmt.Sprintf("automation_action_%d", i)
		if err := conn.SavePoint(sp).Error; err != nil {
			return nil, fmt.Errorf("savepoint: %w", err)
		}
		result, err := s.act(ctx, run, i, ac, sub)
		if reason, ok := failureOf(err); ok {
			if err := conn.RollbackTo(sp).Error; err != nil {
				return nil, fmt.Errorf("rollback to savepoint: %w", err)
			}
			out[i] = RunAction{Type: ac.Type, Status: RunFailed, Result: reason}
			continue
		}
		if err != nil {
			return nil, err
		}
		out[i] = RunAction{Type: ac.Type, Status: RunSucceeded, Result: result}
	}
	return out, nil
}

// act performs action i of run. Each action is keyed by the run id and its
// index, so even outside the run's transaction a repeat would find its
// earlier effect (the issued code, the e-mail's dedupe key).
func (s *Service) act(ctx context.Context, run runRow, i int, ac Action, sub *subject) (string, error) {
	key := fmt.Sprintf("automation:%s:%d", run.ID, i)
	switch ac.Type {
	case ActionIssueDiscount:
		c, err := sub.mustCustomer(ctx)
		if err != nil {
			return "", err
		}
		locale, err := sub.localeOf(ctx)
		if err != nil {
			return "", err
		}
		row, _, err := s.issue(ctx, c, locale, ac.discount(),
			issueSource{source: SourceAutomation, automationID: run.AutomationID, runID: run.ID, dedupe: key})
		if err != nil {
			return "", err
		}
		return "issued " + row.Code, nil
	case ActionSendEmail:
		return s.sendEmail(ctx, run, ac, sub, key)
	case ActionAddToGroup:
		c, err := sub.mustCustomer(ctx)
		if err != nil {
			return "", err
		}
		if err := s.customers.JoinGroup(ctx, ac.GroupID, c.ID); err != nil {
			return "", err
		}
		return "added to " + ac.GroupID, nil
	case ActionAwardPoints:
		if s.loyalty == nil {
			return "", failuref("loyalty not available")
		}
		c, err := sub.mustCustomer(ctx)
		if err != nil {
			return "", err
		}
		if err := s.loyalty.Award(ctx, c.ID, *ac.Points, key, "automation "+run.AutomationID); err != nil {
			return "", err
		}
		return fmt.Sprintf("awarded %d points", *ac.Points), nil
	case ActionCallWebhook:
		if s.webhooks == nil {
			return "", failuref("webhooks not available")
		}
		if err := s.webhooks.DeliverEvent(ctx, ac.WebhookID, sub.e); err != nil {
			return "", err
		}
		return "delivery to " + ac.WebhookID + " queued", nil
	}
	return "", failuref("unknown action %q", ac.Type)
}

// sendEmail queues the template to the event's customer (or guest). The
// template's data holds the event's resource under its type ("order",
// "cart", ...) and the event and rule ids.
func (s *Service) sendEmail(ctx context.Context, run runRow, ac Action, sub *subject, key string) (string, error) {
	if s.mailer == nil {
		return "", failuref("e-mail not configured")
	}
	to, err := sub.emailOf(ctx)
	if err != nil {
		return "", err
	}
	if to == "" {
		return "", failuref("no e-mail address for this event")
	}
	locale, err := sub.localeOf(ctx)
	if err != nil {
		return "", err
	}
	var resource any
	if err := json.Unmarshal(sub.e.Payload, &resource); err != nil {
		return "", fmt.Errorf("decode event payload: %w", err)
	}
	m := Message{Template: ac.Template, Locale: locale, To: to, DedupeKey: key, Data: map[string]any{
		sub.e.ResourceType: resource, "event_type": sub.e.Type, "event_id": sub.e.ID,
		"automation_id": run.AutomationID}}
	if c, err := sub.customer(ctx); err != nil {
		return "", err
	} else if c != nil {
		m.CustomerID = c.ID
	}
	if err := s.mailer.Send(ctx, m); err != nil {
		return "", err
	}
	return fmt.Sprintf("%s (%s) queued", ac.Template, locale), nil
}
