package bot

import (
	"context"
	"encoding/json"
	"fmt"

	"storekeep/internal/platform/db"
)

// maxFAQs bounds the entries read per locale: the FAQ is a short list staff
// curate, and BM25 over it runs on every message.
const maxFAQs = 1000

// faqStore reads support_faqs. Staff manage the table through the support
// service; the bot only reads it, fresh on every message, so an edited
// entry answers at once on every node.
type faqStore struct{ db *db.DB }

type faqRow struct {
	ID       string
	Question string
	Answer   string
	Keywords string
	Locale   string
}

// FAQs returns locale's entries, oldest first (BM25 ties go to the older).
func (s faqStore) FAQs(ctx context.Context, locale string) ([]FAQ, error) {
	var rows []faqRow
	err := s.db.Conn(ctx).Table("support_faqs").Select("id, question, answer, keywords, locale").
		Where("locale = ?", locale).Order("id").Limit(maxFAQs).Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("read faqs: %w", err)
	}
	out := make([]FAQ, len(rows))
	for i, r := range rows {
		out[i] = FAQ{ID: r.ID, Question: r.Question, Answer: r.Answer, Locale: r.Locale}
		// keywords is a JSON array written by the support service; an
		// unreadable one leaves the entry matched on its question alone.
		_ = json.Unmarshal([]byte(r.Keywords), &out[i].Keywords)
	}
	return out, nil
}
