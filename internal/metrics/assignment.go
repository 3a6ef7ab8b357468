package metrics

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"strings"
	"unicode/utf8"

	"storekeep/internal/platform/errs"
)

// Assignment is the arm a shopper sees.
type Assignment struct {
	// Experiment is the experiment's key.
	Experiment string `json:"experiment" binding:"required" example:"checkout-button"`
	// ExperimentID is its id (an experiment_exposure event may name either).
	ExperimentID string `json:"experiment_id" binding:"required" example:"exp_06h1wbq28dxanf5st2bqp8yfxm"`
	Arm          string `json:"arm" binding:"required" example:"green"`
} // @name ExperimentAssignment

// Assign returns the arm of a running experiment for anonymousID. It is a
// pure function of the experiment's key, its arms and the anonymous id: the
// same shopper always gets the same arm, on any node, and nothing is
// written. A draft or stopped experiment is not found, so storefronts show
// the default experience.
func (s *Tracker) Assign(ctx context.Context, key, anonymousID string) (Assignment, error) {
	if strings.TrimSpace(anonymousID) == "" || utf8.RuneCountInString(anonymousID) > maxIDLen {
		return Assignment{}, errs.Invalidf("anonymous_id", "is required, at most %d characters", maxIDLen)
	}
	e, err := s.experiment(ctx, "key", key)
	if err != nil {
		return Assignment{}, err
	}
	if e.Status != StatusRunning {
		return Assignment{}, errs.ErrNotFound
	}
	return Assignment{Experiment: e.Key, ExperimentID: e.ID, Arm: PickArm(e.Key, anonymousID, e.Arms)}, nil
}

// PickArm maps (key, anonymousID) to an arm in proportion to the weights:
// the first 8 bytes of SHA-256(key NUL anonymousID) as a number modulo the
// total weight land in one arm's share. Hashing the key in means a shopper's
// arms in two experiments are independent. arms must not be empty.
func PickArm(key, anonymousID string, arms []Arm) string {
	sum := sha256.Sum256([]byte(key + "\x00" + anonymousID))
	h := binary.BigEndian.Uint64(sum[:8])
	total := uint64(0)
	for _, a := range arms {
		total += uint64(a.Weight)
	}
	// The bias of h % total is below total / 2^64: nothing at weights of
	// at most 10 x 10000.
	point := h % total
	for _, a := range arms {
		if point < uint64(a.Weight) {
			return a.Key
		}
		point -= uint64(a.Weight)
	}
	return arms[len(arms)-1].Key
}
