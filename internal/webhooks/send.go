package webhooks

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// UserAgent identifies deliveries.
const UserAgent = "Storekeep-Webhooks/1"

// excerptLen is how much of a receiver's answer the log keeps.
const excerptLen = 1024

// drainLen is how much more of an answer is read (and dropped) so the
// connection can be reused; a longer answer closes it.
const drainLen = 64 << 10

// result is an attempt's outcome.
type result struct {
	// status is the receiver's HTTP status (0: no answer).
	status  int
	excerpt string
	// err is why the attempt failed ("" on a 2xx).
	err      string
	started  time.Time
	duration time.Duration
	// retryAfter is the receiver's Retry-After on a 429 or 503.
	retryAfter time.Duration
	// gone: the receiver answered 410 Gone (no retry; the webhook is
	// disabled). final: no retry for another reason (the webhook is off).
	gone, final bool
	// canceled: the worker is stopping; nothing is recorded.
	canceled bool
}

func (r result) durationMs() *int64 {
	if r.started.IsZero() {
		return nil
	}
	ms := r.duration.Milliseconds()
	return &ms
}

func (r result) at() *time.Time {
	if r.started.IsZero() {
		return nil
	}
	return &r.started
}

// send makes one attempt: POST the message's body, signed for this moment,
// to the webhook's URL through the guarded client.
func (s *Service) send(ctx context.Context, c claimed) result {
	now := s.nowUTC()
	res := result{started: now}
	keys, err := s.signingKeys(c.w, now)
	if err != nil {
		res.err = "not sent: " + err.Error()
		return res
	}
	u, err := s.guard.parseURL(c.w.URL)
	if err != nil {
		res.err = "refused: the URL " + err.Error()
		return res
	}
	body := []byte(c.m.Body)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(body))
	if err != nil {
		res.err = "not sent: " + err.Error()
		return res
	}
	h := req.Header
	h.Set("Content-Type", "application/json")
	h.Set("User-Agent", UserAgent)
	h.Set("webhook-id", c.m.EventID)
	h.Set("webhook-timestamp", strconv.FormatInt(now.Unix(), 10))
	h.Set("webhook-signature", signature(keys, c.m.EventID, now.Unix(), body))

	// Latency is measured on the monotonic clock, whatever s.now says.
	start := time.Now()
	resp, err := s.client.Do(req)
	if err != nil {
		res.duration = time.Since(start)
		if ctx.Err() != nil {
			res.canceled = true
			return res
		}
		res.err = describe(err)
		return res
	}
	defer resp.Body.Close()
	ex, _ := io.ReadAll(io.LimitReader(resp.Body, excerptLen))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, drainLen))
	res.duration = time.Since(start)
	res.status, res.excerpt = resp.StatusCode, excerpt(ex)
	switch code := resp.StatusCode; {
	case code >= 200 && code < 300:
	case code >= 300 && code < 400:
		res.err = fmt.Sprintf("the receiver answered %d (a redirect): redirects are not followed, point the webhook at the final URL", code)
	case code == http.StatusGone:
		res.err, res.gone = "the receiver answered 410 Gone: the webhook is disabled", true
	default:
		res.err = fmt.Sprintf("the receiver answered %d", code)
		if code == http.StatusTooManyRequests || code == http.StatusServiceUnavailable {
			res.retryAfter = retryAfter(resp.Header.Get("Retry-After"), now)
		}
	}
	return res
}

// describe says why a request got no answer, for the delivery log.
func describe(err error) string {
	if re, ok := errors.AsType[*RefusedError](err); ok {
		return "refused: " + re.Reason
	}
	if ne, ok := errors.AsType[net.Error](err); ok && ne.Timeout() {
		return fmt.Sprintf("no answer within %s", RequestTimeout)
	}
	msg := err.Error()
	if ue, ok := errors.AsType[*url.Error](err); ok {
		msg = ue.Err.Error() // the URL is in the log already
	}
	return "connection failed: " + msg
}

// excerpt is the start of a receiver's answer as text the log can hold.
func excerpt(b []byte) string {
	s := strings.ToValidUTF8(string(b), "\uFFFD")
	return strings.ReplaceAll(s, "\x00", "")
}

// retryAfter reads a Retry-After header (seconds or an HTTP date), capped
// at a day; 0 when absent or unreadable.
func retryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil && n > 0 {
		return min(time.Duration(n)*time.Second, 24*time.Hour)
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return min(t.Sub(now), 24*time.Hour)
	}
	return 0
}
