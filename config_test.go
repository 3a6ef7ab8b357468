package main

import (
	"flag"
	"testing"
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
