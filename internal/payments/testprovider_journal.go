package payments

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
)

// testEntry is one operation of the test provider, as it is applied to its
// state and appended to its journal.
type testEntry struct {
	Op string `json:"op"` // authorize, session, authenticate, capture, void, refund
	// Key is the operation's idempotency key; Reference ours (authorize).
	Key       string `json:"key,omitempty"`
	Reference string `json:"reference,omitempty"`
	// Ref is the payment the operation is about; Result what it answered.
	Ref      string `json:"ref"`
	Result   Result `json:"result"`
	Amount   int64  `json:"amount,omitempty"`
	Currency string `json:"currency,omitempty"`
	// Capture and ReturnURL are an authorisation's, kept for a payment that
	// needs the shopper (it is captured when they pass).
	Capture   bool   `json:"capture,omitempty"`
	ReturnURL string `json:"return_url,omitempty"`
}

// TestJournalEntry is one line of the test provider's journal, for tools and
// tests that check what the provider did (the fault tests).
type TestJournalEntry = testEntry

// OpenJournal makes the provider's state durable: the operations already in
// the file at path are applied (so idempotent retries after a restart get
// the first answer and Lookup knows earlier payments), and every new
// operation is appended before it is answered. A killed process loses no
// line it answered for: each is one write(2) to a file opened O_APPEND.
func (p *TestProvider) OpenJournal(path string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	entries, whole, err := readJournal(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	for _, e := range entries {
		p.apply(e)
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("test payments journal: %w", err)
	}
	// Drop a line cut short by a crash, so the next one starts clean.
	if err := f.Truncate(whole); err != nil {
		f.Close()
		return fmt.Errorf("test payments journal: %w", err)
	}
	p.journal = f
	return nil
}

// ReadTestJournal reads a test provider journal. A last line cut short by a
// crash mid-write is ignored: its operation was never answered.
func ReadTestJournal(path string) ([]TestJournalEntry, error) {
	out, _, err := readJournal(path)
	return out, err
}

// readJournal reads the whole lines of a journal and reports where they end.
func readJournal(path string) ([]testEntry, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	var out []testEntry
	var whole int64
	r := bufio.NewReader(f)
	for {
		line, err := r.ReadBytes('\n')
		if errors.Is(err, io.EOF) {
			return out, whole, nil // a line without its newline was cut short
		}
		if err != nil {
			return nil, 0, fmt.Errorf("read test payments journal: %w", err)
		}
		var e testEntry
		if err := json.Unmarshal(line, &e); err != nil {
			return nil, 0, fmt.Errorf("test payments journal line %d: %w", len(out)+1, err)
		}
		out = append(out, e)
		whole += int64(len(line))
	}
}

// commit journals e (when there is a journal) and applies it; the caller
// holds mu. An operation that could not be journaled did not happen.
func (p *TestProvider) commit(e testEntry) error {
	if p.journal != nil {
		b, err := json.Marshal(e)
		if err != nil {
			return err
		}
		if _, err := p.journal.Write(append(b, '\n')); err != nil {
			return ErrProviderUnavailable.WithDetail("test provider: journal: %v", err)
		}
	}
	p.apply(e)
	return nil
}

// apply changes the provider's state by e; the caller holds mu.
func (p *TestProvider) apply(e testEntry) {
	if e.Key != "" {
		p.idem[e.Op+"\x00"+e.Key] = e.Result
	}
	tp := p.refs[e.Ref]
	switch e.Op {
	case "authorize", KindSession:
		tp = &testPayment{amount: e.Amount, currency: e.Currency, status: e.Result.Status,
			capture: e.Capture, returnURL: e.ReturnURL}
		tp.nextAction = e.Result.NextAction
		if e.Result.Status == StatusCaptured {
			tp.captured = e.Amount
		}
		p.refs[e.Ref] = tp
		if e.Reference != "" {
			p.byReference[e.Reference] = e.Ref
		}
	case "capture":
		if tp != nil {
			tp.status, tp.captured = StatusCaptured, e.Amount
		}
	case "authenticate":
		if tp != nil {
			tp.status = e.Result.Status
			if tp.status == StatusCaptured {
				tp.captured = tp.amount
			}
		}
	case "void":
		if tp != nil {
			tp.status = StatusVoided
		}
	case "refund":
		if tp != nil {
			tp.refunded += e.Amount
		}
	}
}
