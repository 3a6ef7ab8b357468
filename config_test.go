package main

import (
	"flag"
	"strings"
	"testing"
	"time"

	"storekeep/api/web"
)

// serveFlags is serve's flag set as cmdServe builds it: --demo is declared
// before loadConfig parses the arguments.
func serveFlags() *flag.FlagSet {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.Bool("demo", false, "")
	return fs
}

// TestTestPaymentsAreOptIn: a plain serve does not take test tokens as
// money; --demo turns the test provider on, STOREKEEP_TEST_PAYMENTS=on
// too, and an explicit off wins over --demo.
func TestTestPaymentsAreOptIn(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  string
		args []string
		want bool
	}{
		{"plain serve", "", nil, false},
		{"demo", "", []string{"--demo"}, true},
		{"env on", "on", nil, true},
		{"env off", "off", nil, false},
		{"demo with env off", "off", []string{"--demo"}, false},
		{"demo with env on", "on", []string{"--demo"}, true},
		{"env in capitals", "OFF", []string{"--demo"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("STOREKEEP_TEST_PAYMENTS", tc.env)
			c, err := loadConfig(serveFlags(), tc.args)
			if err != nil {
				t.Fatal(err)
			}
			if c.TestPayments != tc.want {
				t.Errorf("TestPayments = %v, want %v", c.TestPayments, tc.want)
			}
			if got := apiOptions(c, nil, nil, nil).Payments.EnableTestProvider; got != tc.want {
				t.Errorf("api option EnableTestProvider = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestTestPaymentsSettingIsChecked: a typo must not silently pick a side.
func TestTestPaymentsSettingIsChecked(t *testing.T) {
	for _, v := range []string{"yes", "true", "0", "of"} {
		t.Setenv("STOREKEEP_TEST_PAYMENTS", v)
		if _, err := loadConfig(serveFlags(), nil); err == nil {
			t.Errorf("STOREKEEP_TEST_PAYMENTS=%q was accepted", v)
		}
	}
}

// TestTrustedProxiesSetting: the proxies are parsed at start, and a list
// with an entry that is not an address or CIDR refuses to start.
func TestTrustedProxiesSetting(t *testing.T) {
	t.Setenv("STOREKEEP_TRUSTED_PROXIES", "10.0.0.0/8, 192.0.2.7")
	c, err := loadConfig(serveFlags(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := prefixes(apiOptions(c, nil, nil, nil).TrustedProxies); got != "10.0.0.0/8,192.0.2.7/32" {
		t.Errorf("trusted proxies = %q", got)
	}
	t.Setenv("STOREKEEP_TRUSTED_PROXIES", "10.0.0.0/8, 10.0.0.300")
	if _, err := loadConfig(serveFlags(), nil); err == nil || !strings.Contains(err.Error(), "STOREKEEP_TRUSTED_PROXIES") {
		t.Errorf("loadConfig = %v, want an error naming STOREKEEP_TRUSTED_PROXIES", err)
	}
	t.Setenv("STOREKEEP_TRUSTED_PROXIES", "")
	if c, err := loadConfig(serveFlags(), nil); err != nil || len(c.TrustedProxies) != 0 {
		t.Errorf("unset: %v, %v; want none", c.TrustedProxies, err)
	}
}

// TestMetricsTokenSetting: the token reaches the API options; a short one
// (guessable, since /metrics has no attempt limit) refuses to start.
func TestMetricsTokenSetting(t *testing.T) {
	t.Setenv("STOREKEEP_METRICS_TOKEN", "0123456789abcdef0123")
	c, err := loadConfig(serveFlags(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if apiOptions(c, nil, nil, nil).MetricsToken != "0123456789abcdef0123" || strings.Contains(c.String(), "0123456789") {
		t.Errorf("token not passed on, or printed: %s", c)
	}
	t.Setenv("STOREKEEP_METRICS_TOKEN", "short")
	if _, err := loadConfig(serveFlags(), nil); err == nil {
		t.Error("a 5-character metrics token was accepted")
	}
}

// TestAccessLogSettings: defaults, each setting, and values that stop the
// server at start.
func TestAccessLogSettings(t *testing.T) {
	c, err := loadConfig(serveFlags(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := apiOptions(c, nil, nil, nil).AccessLog; got != web.DefaultAccessLog() {
		t.Errorf("default = %+v, want %+v", got, web.DefaultAccessLog())
	}
	t.Setenv("STOREKEEP_ACCESS_LOG", "errors")
	t.Setenv("STOREKEEP_ACCESS_LOG_SAMPLE", "0.05")
	t.Setenv("STOREKEEP_SLOW_REQUEST", "2s")
	if c, err = loadConfig(serveFlags(), nil); err != nil {
		t.Fatal(err)
	}
	want := web.AccessLogConfig{Mode: web.AccessLogErrors, Sample: 0.05, Slow: 2 * time.Second}
	if got := apiOptions(c, nil, nil, nil).AccessLog; got != want {
		t.Errorf("configured = %+v, want %+v", got, want)
	}
	for _, bad := range []struct{ key, value string }{
		{"STOREKEEP_ACCESS_LOG", "some"}, {"STOREKEEP_ACCESS_LOG_SAMPLE", "1.5"},
		{"STOREKEEP_ACCESS_LOG_SAMPLE", "-0.1"}, {"STOREKEEP_ACCESS_LOG_SAMPLE", "NaN"},
		{"STOREKEEP_ACCESS_LOG_SAMPLE", "10%"}, {"STOREKEEP_SLOW_REQUEST", "500"}, {"STOREKEEP_SLOW_REQUEST", "0s"},
	} {
		t.Run(bad.key+"="+bad.value, func(t *testing.T) {
			t.Setenv(bad.key, bad.value)
			if _, err := loadConfig(serveFlags(), nil); err == nil || !strings.Contains(err.Error(), bad.key) {
				t.Errorf("loadConfig = %v, want an error naming %s", err, bad.key)
			}
		})
	}
}
