package bot

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"time"

	"storekeep/internal/catalog"
	"storekeep/internal/customers"
	"storekeep/internal/orders"
	"storekeep/internal/platform/db"
	"storekeep/internal/support"
)

// Orders reads order facts, always with the owner's credential.
type Orders interface {
	CustomerFacts(ctx context.Context, customerID string, limit int) ([]orders.Facts, error)
	CustomerFactsByNumber(ctx context.Context, customerID, number string) (orders.Facts, error)
	CustomerFactsByID(ctx context.Context, customerID, orderID string) (orders.Facts, error)
	GuestFactsByNumber(ctx context.Context, number, email string) (orders.Facts, error)
	GuestFactsByID(ctx context.Context, orderID, email string) (orders.Facts, error)
}

// FAQs reads one locale's FAQ entries.
type FAQs interface {
	FAQs(ctx context.Context, locale string) ([]FAQ, error)
}

// Products lists what the skin quiz may recommend: published and in stock.
type Products interface {
	AdviceCandidates(ctx context.Context, locale string) ([]catalog.AdviceProduct, error)
}

// Profiles keeps a signed-in customer's quiz answers.
type Profiles interface {
	SaveSkinProfile(ctx context.Context, customerID string, p customers.SkinProfile) error
}

// Deps is what the bot reads and writes through. All four are required.
type Deps struct {
	Orders   Orders
	FAQs     FAQs
	Products Products
	Profiles Profiles
}

// Bot is the support chat's first responder. It is safe for concurrent use:
// everything a conversation needs is in the Turn and its State.
type Bot struct {
	deps      Deps
	threshold float64
	now       func() time.Time
	log       *slog.Logger
	llm       *llm
}

var _ support.Responder = (*Bot)(nil)

// Option configures a Bot.
type Option func(*Bot)

// WithFAQThreshold sets the BM25 score an FAQ entry needs to be the answer
// (default DefaultFAQThreshold).
func WithFAQThreshold(t float64) Option { return func(b *Bot) { b.threshold = t } }

// WithClock sets the clock that decides which orders are recent (tests).
func WithClock(now func() time.Time) Option { return func(b *Bot) { b.now = now } }

// WithLogger sets the logger (model failures are logged at warn); the
// default discards.
func WithLogger(l *slog.Logger) Option { return func(b *Bot) { b.log = l } }

// New returns a bot over deps.
func New(deps Deps, opts ...Option) *Bot {
	b := &Bot{deps: deps, threshold: DefaultFAQThreshold, now: db.Now,
		log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	for _, o := range opts {
		o(b)
	}
	return b
}

// NewFromDB returns a bot reading d through the domain services: the one
// line the server wires.
func NewFromDB(d *db.DB, opts ...Option) *Bot {
	return New(Deps{
		Orders:   orders.NewService(d),
		FAQs:     faqStore{db: d},
		Products: catalog.NewService(d),
		// The bot only saves skin profiles, which needs neither sessions
		// nor the sign-in limiter.
		Profiles: customers.NewService(d, nil, nil, db.Now),
	}, opts...)
}

// turn is one Respond call's working set.
type turn struct {
	support.Turn
	lang string // "en" or "fr"
	st   state
	c    Classification
}

// Respond answers one customer message. Errors are the database's: the
// caller keeps the conversation with the bot and may retry.
func (b *Bot) Respond(ctx context.Context, t support.Turn) (support.BotReply, error) {
	tn := &turn{Turn: t, lang: lang(t.Locale), st: decodeState(t.State)}
	faqs, err := b.faqIndex(ctx, tn.lang)
	if err != nil {
		return support.BotReply{}, err
	}
	tn.c = Classify(t.Text, faqs)
	r, err := b.route(ctx, tn)
	if err != nil {
		return support.BotReply{}, err
	}
	return b.finish(tn, r), nil
}

// route answers by the pending question first (an answer to "which order?"
// or to a quiz question), then by the message's intent. A request for a
// person always wins.
func (b *Bot) route(ctx context.Context, tn *turn) (reply, error) {
	if tn.c.Intent == IntentHandoff {
		return b.handoff(tn, false), nil
	}
	if r, ok, err := b.pending(ctx, tn); ok || err != nil {
		return r, err
	}
	switch tn.c.Intent {
	case IntentOrderStatus:
		return b.orderStatus(ctx, tn, tn.c.OrderNumber, tn.c.Email)
	case IntentAdvice:
		return b.startQuiz(ctx, tn)
	case IntentFAQ:
		return b.faqAnswer(ctx, tn), nil
	case IntentGreeting:
		return reply{Text: say(tn.lang, msgGreeting), Intent: IntentGreeting}, nil
	case IntentThanks:
		return reply{Text: say(tn.lang, msgThanks), Intent: IntentThanks}, nil
	}
	return reply{Text: say(tn.lang, msgRephrase), Intent: IntentUnknown, miss: true}, nil
}

// reply is a BotReply before the state is encoded.
type reply struct {
	Text        string
	Suggestions []support.Suggestion
	Order       *support.OrderCard
	Handoff     bool
	Intent      Intent
	// miss marks a turn the bot could not answer: two in a row hand over.
	miss bool
}

// finish counts unanswered turns (the second in a row hands over) and
// encodes the state.
func (b *Bot) finish(tn *turn, r reply) support.BotReply {
	if r.miss {
		tn.st.Misses++
		if tn.st.Misses >= 2 {
			r = b.handoff(tn, true)
		}
	} else {
		tn.st.Misses = 0
	}
	if r.Handoff {
		tn.st = state{}
	}
	return support.BotReply{Text: r.Text, Suggestions: r.Suggestions, Order: r.Order, Handoff: r.Handoff,
		Intent: string(r.Intent), State: tn.st.encode()}
}

// handoff hands the conversation to a person; after misses it says why.
func (b *Bot) handoff(tn *turn, afterMisses bool) reply {
	m := msgHandoff
	if afterMisses {
		m = msgHandoffMisses
	}
	return reply{Text: say(tn.lang, m), Handoff: true, Intent: IntentHandoff}
}

func (b *Bot) faqIndex(ctx context.Context, lang string) (*faqIndex, error) {
	fs, err := b.deps.FAQs.FAQs(ctx, lang)
	if err != nil {
		return nil, err
	}
	return newFAQIndex(fs, b.threshold), nil
}

// faqAnswer answers with the matched entry, phrased by the model when one
// is configured.
func (b *Bot) faqAnswer(ctx context.Context, tn *turn) reply {
	text := tn.c.FAQ.FAQ.Answer
	if b.llm != nil {
		text = b.llm.phrase(ctx, b.log, tn.lang, tn.Text,
			[]string{"Q: " + tn.c.FAQ.FAQ.Question + "\nA: " + tn.c.FAQ.FAQ.Answer}, text)
	}
	return reply{Text: text, Intent: IntentFAQ}
}

// lang maps a conversation locale to the bot's languages: French for any
// fr locale, English otherwise.
func lang(locale string) string {
	if strings.HasPrefix(strings.ToLower(locale), "fr") {
		return "fr"
	}
	return "en"
}

// state is the bot's memory of a conversation (Turn.State), JSON.
type state struct {
	// Misses counts the turns in a row the bot could not answer.
	Misses int `json:"misses,omitempty"`
	// Pending is the question the bot is waiting for an answer to.
	Pending string `json:"pending,omitempty"`
	// Choices are the order numbers offered with "which order?".
	Choices []string `json:"choices,omitempty"`
	// Number and Email are what a guest gave so far for an order lookup.
	Number string `json:"number,omitempty"`
	Email  string `json:"email,omitempty"`
	// Quiz is the skin quiz's answers so far.
	Quiz *quiz `json:"quiz,omitempty"`
}

// Pending questions.
const (
	pendingOrderChoice = "order_choice"
	pendingOrderNumber = "order_number"
	pendingOrderEmail  = "order_email"
	pendingQuiz        = "quiz"
)

// decodeState reads Turn.State; anything unreadable starts afresh rather
// than failing the conversation.
func decodeState(raw json.RawMessage) state {
	var st state
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &st); err != nil {
			return state{}
		}
	}
	return st
}

func (st state) encode() json.RawMessage {
	b, err := json.Marshal(st)
	if err != nil {
		return json.RawMessage(`{}`)
	}
	return b
}

// pending takes the answer to the question the bot asked last turn. ok is
// false when the message is not an answer and should be read on its own.
func (b *Bot) pending(ctx context.Context, tn *turn) (reply, bool, error) {
	switch tn.st.Pending {
	case "":
		return reply{}, false, nil
	case pendingQuiz:
		return b.pendingQuiz(ctx, tn)
	}
	return b.pendingOrder(ctx, tn)
}

// pendingQuiz reads a quiz answer. An order question or an FAQ leaves the
// quiz; anything else unreadable asks the question again (a miss, unless
// it was small talk or a new request for advice).
func (b *Bot) pendingQuiz(ctx context.Context, tn *turn) (reply, bool, error) {
	if tn.c.Intent != IntentOrderStatus {
		if r, ok, err := b.answerQuiz(ctx, tn); ok || err != nil {
			return r, true, err
		}
	}
	switch tn.c.Intent {
	case IntentUnknown:
		return b.retryQuiz(tn), true, nil
	case IntentAdvice, IntentGreeting, IntentThanks:
		r := b.retryQuiz(tn)
		r.miss = false
		return r, true, nil
	}
	tn.st.Pending, tn.st.Quiz = "", nil
	return reply{}, false, nil
}
