package authapi_test

import (
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"storekeep/api"
	"storekeep/api/apitest"
	"storekeep/internal/customers"
	"storekeep/internal/platform/auth"
)

// loginPaths are the two sign-in routes; they follow one throttling policy.
var loginPaths = []string{"/v1/auth/customers/login", "/v1/auth/staff/login"}

// testClock is the server's injected clock, moved by the test.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *testClock) add(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.t = c.t.Add(d) }

// untilWindowEnd is the Retry-After of a hard limit: the seconds left in
// the current 15-minute window.
func (c *testClock) untilWindowEnd() int {
	now := c.now()
	return int(now.Truncate(auth.DefaultWindow).Add(auth.DefaultWindow).Sub(now).Seconds())
}

// throttled starts a server whose clock starts one minute into a window.
func throttled(t *testing.T) (*apitest.Harness, *testClock) {
	c := &testClock{t: time.Date(2030, 1, 7, 10, 1, 0, 0, time.UTC)}
	return apitest.New(t, func(o *api.Options) { o.Now = c.now }), c
}

// account is a fresh account for the sign-in path.
func account(t *testing.T, h *apitest.Harness, path string) apitest.Account {
	if path == "/v1/auth/staff/login" {
		return h.NewStaff(t, "admin")
	}
	return h.NewCustomer(t)
}

// login signs in from client ip (a loopback address; "" the default).
func login(h *apitest.Harness, path, ip, email, password string) *apitest.Response {
	return h.Do(apitest.Request{Method: http.MethodPost, Path: path, ClientIP: ip,
		Body: map[string]string{"email": email, "password": password}})
}

// ip is the n-th test client address.
func ip(n int) string { return fmt.Sprintf("127.0.%d.%d", 1+n/250, 2+n%250) }

func retryAfter(t *testing.T, res *apitest.Response) int {
	t.Helper()
	s, err := strconv.Atoi(res.Header.Get("Retry-After"))
	if err != nil || s < 1 {
		t.Fatalf("Retry-After = %q, want whole seconds >= 1", res.Header.Get("Retry-After"))
	}
	return s
}

// TestOwnerSignsInWhileOthersFail is the lockout defect: wrong passwords
// from ten clients must not stop the owner, signing in from a client that
// has not failed, with the right password. The failing clients themselves
// are made to wait.
func TestOwnerSignsInWhileOthersFail(t *testing.T) {
	t.Parallel()
	for _, path := range loginPaths {
		t.Run(path, func(t *testing.T) {
			t.Parallel()
			h, _ := throttled(t)
			a := account(t, h, path)
			for i := range 10 {
				login(h, path, ip(i), a.Email, fmt.Sprintf("guess-%d-guess", i)).
					ExpectProblem(t, http.StatusUnauthorized, "invalid_credentials")
			}
			login(h, path, ip(100), a.Email, a.Password).Expect(t, http.StatusOK)
			// A client that failed must wait 2^(10-5) s from the last failure,
			// even with the right password: it is not evaluated.
			res := login(h, path, ip(3), a.Email, a.Password)
			res.ExpectProblem(t, http.StatusTooManyRequests, "rate_limited")
			if got := retryAfter(t, res); got != 32 {
				t.Errorf("Retry-After = %d, want 32", got)
			}
			// The owner's success took nothing from the count: the next new
			// client is evaluated too, and fails with a wrong password.
			login(h, path, ip(101), a.Email, "still-a-wrong-guess").
				ExpectProblem(t, http.StatusUnauthorized, "invalid_credentials")
			login(h, path, ip(102), a.Email, a.Password).Expect(t, http.StatusOK)
		})
	}
}

// TestOneClientIsLimitedPerAccount: one client failing on one account waits
// growing delays, then after LoginFailuresPerAccountIP failures is refused
// until the window ends, the right password included. The same happens,
// answer for answer, for an e-mail that has no account.
func TestOneClientIsLimitedPerAccount(t *testing.T) {
	t.Parallel()
	for _, path := range loginPaths {
		t.Run(path, func(t *testing.T) {
			t.Parallel()
			type answer struct{ Status, RetryAfter int }
			script := func(t *testing.T, email, password string) []answer {
				h, clock := throttled(t)
				if email == "" {
					a := account(t, h, path)
					email, password = a.Email, a.Password
				}
				var got []answer
				for i := range auth.LoginFailuresPerAccountIP {
					clock.add(auth.LoginDelay(i))
					login(h, path, ip(1), email, fmt.Sprintf("guess-%d-guess", i)).
						ExpectProblem(t, http.StatusUnauthorized, "invalid_credentials")
				}
				clock.add(auth.LoginDelay(auth.LoginFailuresPerAccountIP)) // the delay is over; the hard limit is not
				before := counts(t, h)
				res := login(h, path, ip(1), email, password)
				res.ExpectProblem(t, http.StatusTooManyRequests, "rate_limited")
				if ra := retryAfter(t, res); ra != clock.untilWindowEnd() {
					t.Errorf("Retry-After = %d, want %d (the window's end)", ra, clock.untilWindowEnd())
				}
				got = append(got, answer{res.Status, retryAfter(t, res)})
				after := counts(t, h)
				delete(before, "login_attempts")
				delete(after, "login_attempts")
				if d := cmp.Diff(before, after); d != "" {
					t.Errorf("a refused attempt wrote rows (-before +after):\n%s", d)
				}
				// The account is still open to a client that has not failed.
				res = login(h, path, ip(2), email, password)
				got = append(got, answer{res.Status, 0})
				return got
			}
			known := script(t, "", "")
			if known[1].Status != http.StatusOK {
				t.Errorf("owner from another client: %d, want 200", known[1].Status)
			}
			unknown := script(t, "nobody-"+strconv.Itoa(len(path))+"@example.com", apitest.TestPassword)
			unknown[1].Status = known[1].Status // 401: there is no account to sign in to
			if d := cmp.Diff(known, unknown); d != "" {
				t.Errorf("an unknown e-mail is throttled differently (-known +unknown):\n%s", d)
			}
		})
	}
}

// TestFailingClientsWaitLonger: once an account has LoginDelayAfter failures
// in the window, a client that failed on it waits 1 s, 2 s, 4 s, 8 s ...
// from the account's last failure (Retry-After says how long), whoever
// failed last; a client that never failed is evaluated at once.
func TestFailingClientsWaitLonger(t *testing.T) {
	t.Parallel()
	for _, path := range loginPaths {
		t.Run(path, func(t *testing.T) {
			t.Parallel()
			h, clock := throttled(t)
			a := account(t, h, path)
			for i := range auth.LoginDelayAfter {
				login(h, path, ip(1), a.Email, fmt.Sprintf("guess-%d-guess", i)).
					ExpectProblem(t, http.StatusUnauthorized, "invalid_credentials")
			}
			var waits []int
			for range 4 {
				res := login(h, path, ip(1), a.Email, "another-wrong-guess")
				res.ExpectProblem(t, http.StatusTooManyRequests, "rate_limited")
				w := retryAfter(t, res)
				waits = append(waits, w)
				clock.add(time.Duration(w-1) * time.Second)
				login(h, path, ip(1), a.Email, "another-wrong-guess").
					ExpectProblem(t, http.StatusTooManyRequests, "rate_limited") // one second early
				clock.add(time.Second)
				login(h, path, ip(1), a.Email, "another-wrong-guess").
					ExpectProblem(t, http.StatusUnauthorized, "invalid_credentials")
			}
			if d := cmp.Diff([]int{1, 2, 4, 8}, waits); d != "" {
				t.Errorf("waits (-want +got):\n%s", d)
			}
			// Another client's failure restarts the wait of ip(1): 2^(10-5) s.
			clock.add(time.Hour / 60) // 1 minute: ip(1)'s own wait (16 s) is over
			login(h, path, ip(2), a.Email, "a-guess-from-elsewhere").
				ExpectProblem(t, http.StatusUnauthorized, "invalid_credentials")
			res := login(h, path, ip(1), a.Email, a.Password)
			res.ExpectProblem(t, http.StatusTooManyRequests, "rate_limited")
			if got := retryAfter(t, res); got != 32 {
				t.Errorf("Retry-After after another client failed = %d, want 32", got)
			}
			login(h, path, ip(3), a.Email, a.Password).Expect(t, http.StatusOK)
		})
	}
}

// TestBurstFromAFailedClientPassesOneAtATime: parallel attempts from a
// client that must wait cannot slip through the delay together: once the
// wait is over exactly one is evaluated, the rest are 429.
func TestBurstFromAFailedClientPassesOneAtATime(t *testing.T) {
	t.Parallel()
	h, clock := throttled(t)
	a := h.NewCustomer(t)
	path := "/v1/auth/customers/login"
	for i := range auth.LoginDelayAfter + 1 {
		login(h, path, ip(i), a.Email, "wrong-password-guess").ExpectProblem(t, http.StatusUnauthorized, "invalid_credentials")
	}
	clock.add(auth.LoginDelay(auth.LoginDelayAfter + 1))
	const burst = 8
	statuses := make(chan int, burst)
	var wg sync.WaitGroup
	for range burst {
		wg.Go(func() {
			statuses <- login(h, path, ip(auth.LoginDelayAfter), a.Email, "wrong-password-guess").Status
		})
	}
	wg.Wait()
	close(statuses)
	got := map[int]int{}
	for s := range statuses {
		got[s]++
	}
	if d := cmp.Diff(map[int]int{http.StatusUnauthorized: 1, http.StatusTooManyRequests: burst - 1}, got); d != "" {
		t.Errorf("statuses (-want +got):\n%s", d)
	}
}

// TestOneClientIsLimitedAcrossAccounts: LoginFailuresPerIP failures from one
// client, on as many accounts, and its next attempt is refused, on any
// account and either sign-in route; other clients are not affected.
func TestOneClientIsLimitedAcrossAccounts(t *testing.T) {
	t.Parallel()
	h, clock := throttled(t)
	for i := range auth.LoginFailuresPerIP {
		login(h, loginPaths[i%2], ip(1), fmt.Sprintf("nobody%d@example.com", i), "wrong-password").
			ExpectProblem(t, http.StatusUnauthorized, "invalid_credentials")
	}
	for _, path := range loginPaths {
		a := account(t, h, path)
		res := login(h, path, ip(1), a.Email, a.Password)
		res.ExpectProblem(t, http.StatusTooManyRequests, "rate_limited")
		if got := retryAfter(t, res); got != clock.untilWindowEnd() {
			t.Errorf("Retry-After = %d, want %d (the window's end)", got, clock.untilWindowEnd())
		}
		login(h, path, ip(2), a.Email, a.Password).Expect(t, http.StatusOK)
	}
	// The next window starts afresh.
	clock.add(time.Duration(clock.untilWindowEnd()) * time.Second)
	a := h.NewCustomer(t)
	login(h, loginPaths[0], ip(1), a.Email, a.Password).Expect(t, http.StatusOK)
}

func TestSuccessfulLoginsAreNotLimited(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	a := h.NewCustomer(t)
	for range auth.LoginFailuresPerAccountIP + 2 {
		post(h, "/v1/auth/customers/login", map[string]string{"email": a.Email, "password": a.Password}).Expect(t, http.StatusOK)
	}
}

func TestSignupRateLimitPerIP(t *testing.T) {
	t.Parallel()
	h := apitest.New(t, apitest.WindowAligned)
	for i := range customers.SignupsPerIP {
		register(t, h, fmt.Sprintf("new%d@example.com", i))
	}
	before := counts(t, h)
	res := post(h, "/v1/auth/customers/register", map[string]string{
		"email": "one-more@example.com", "password": apitest.TestPassword, "first_name": "A", "last_name": "B"})
	res.ExpectProblem(t, http.StatusTooManyRequests, "rate_limited")
	if after := counts(t, h); after["customers"] != before["customers"] {
		t.Error("a rate-limited sign-up created a customer")
	}
}
