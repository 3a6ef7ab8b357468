package web

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/text"
)

type checkAddress struct {
	Line1 string `json:"line1"`
	City  string `json:"city"`
}

type checkBase struct {
	Note string `json:"note" text:"free"`
}

type checkVariant struct {
	SKU     string            `json:"sku"`
	Title   string            `json:"title,omitempty"`
	Options map[string]string `json:"options,omitempty"`
}

// checkDoc has every shape CheckJSON walks: nested and embedded structs,
// pointers, slices, maps of strings and of any, free-text fields, a type
// that decodes itself and a field json ignores.
type checkDoc struct {
	checkBase
	Title       string            `json:"title"`
	Description string            `json:"description,omitempty" text:"free"`
	Quantity    int               `json:"quantity"`
	Ship        *checkAddress     `json:"shipping_address,omitempty"`
	Variants    []checkVariant    `json:"variants,omitempty"`
	Attributes  map[string]any    `json:"attributes,omitempty"`
	Notes       []string          `json:"notes,omitempty" text:"free"`
	Labels      map[string]string `json:"labels,omitempty"`
	At          *time.Time        `json:"at,omitempty"`
	Ignored     string            `json:"-"`
	Password    string            `json:"password,omitempty" text:"free"`
}

var docType = reflect.TypeFor[checkDoc]()

func fields(fe []errs.FieldError) []string {
	out := []string{}
	for _, f := range fe {
		out = append(out, f.Field)
	}
	return out
}

func TestCheckJSONAcceptsCleanDocuments(t *testing.T) {
	bodies := []string{
		`{"title":"Gentle Foaming Cleanser","quantity":1}`,
		`{"title":"Hélène's crème brûlée","description":"Line one\nLine two\r\n\tindented","note":"a\tb"}`,
		`{"title":"山田 太郎","attributes":{"skin":["dry","oily"],"vegan":true,"size":{"ml":150}}}`,
		`{"title":"👩\u200d🔬 ❤️","variants":[{"sku":"A-1","options":{"Size":"150 ml"}}]}`,
		`{"title":"\ud83d\ude00 escaped emoji","notes":["multi\nline"],"password":"tab\there"}`,
		`{"title":"x","at":"2024-01-02T03:04:05Z","shipping_address":{"line1":"1 rue de Rivoli","city":"Paris"}}`,
		`{"title":"x","labels":{"a.b":"c","A.B":"d"}}`, // map keys are case-sensitive: two keys
		`[]`, `"plain"`, `null`, `42`,
	}
	for _, b := range bodies {
		r, err := CheckJSON([]byte(b), docType)
		if err != nil || len(r.Malformed)+len(r.Invalid) > 0 {
			t.Errorf("CheckJSON(%s) = %+v, %v; want clean", b, r, err)
		}
	}
}

func TestCheckJSONRefusesCharacters(t *testing.T) {
	tests := []struct {
		name  string
		body  string
		field string
		msg   string
	}{
		{"NUL in a title", `{"title":"bob\u0000"}`, "title", text.Control.Message()},
		{"NUL in free text", `{"description":"a\u0000b"}`, "description", text.Control.Message()},
		{"escape sequence in free text", `{"description":"\u001b[31mred"}`, "description", text.Control.Message()},
		{"DEL", `{"title":"a\u007f"}`, "title", text.Control.Message()},
		{"C1", `{"title":"a\u0085"}`, "title", text.Control.Message()},
		{"newline in a single line", `{"title":"a\nb"}`, "title", text.LineBreak.Message()},
		{"tab in a single line", `{"title":"a\tb"}`, "title", text.LineBreak.Message()},
		{"bidi override in a title", `{"title":"gpj\u202eexe."}`, "title", text.Invisible.Message()},
		{"zero-width space", `{"title":"bo\u200bb"}`, "title", text.Invisible.Message()},
		{"embedded struct field", `{"note":"a\u0000"}`, "note", text.Control.Message()},
		{"nested struct", `{"shipping_address":{"line1":"1 rue\u0000","city":"Paris"}}`, "shipping_address.line1", text.Control.Message()},
		{"slice of structs", `{"variants":[{"sku":"A"},{"sku":"B","title":"x\u0001"}]}`, "variants[1].title", text.Control.Message()},
		{"map of strings in a slice", `{"variants":[{"sku":"A","options":{"Size":"1\u0000"}}]}`, "variants[0].options.Size", text.Control.Message()},
		{"map of any", `{"attributes":{"skin":"dry\u0000"}}`, "attributes.skin", text.Control.Message()},
		{"deep in any", `{"attributes":{"skin":["dry",{"x":"\u0002"}]}}`, "attributes.skin[1].x", text.Control.Message()},
		{"map key", `{"attributes":{"sk\u0000in":"dry"}}`, `attributes["sk\x00in"]`, "key " + text.Control.Message()},
		{"free-text slice", `{"notes":["ok","a\u0000"]}`, "notes[1]", text.Control.Message()},
		{"lone high surrogate", `{"title":"a\ud800b"}`, "title", text.InvalidUTF8.Message()},
		{"lone low surrogate", `{"title":"\udc00"}`, "title", text.InvalidUTF8.Message()},
		{"raw invalid UTF-8", "{\"title\":\"caf\xe9\"}", "title", text.InvalidUTF8.Message()},
		{"invalid UTF-8 in free text", "{\"description\":\"\xff\"}", "description", text.InvalidUTF8.Message()},
		{"time.Time decodes itself but is still walked", `{"at":"2024\u0000"}`, "at", text.Control.Message()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := CheckJSON([]byte(tt.body), docType)
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Malformed) > 0 {
				t.Errorf("malformed: %+v", r.Malformed)
			}
			want := []errs.FieldError{{Field: tt.field, Message: tt.msg}}
			if d := cmp.Diff(want, r.Invalid); d != "" {
				t.Errorf("invalid (-want +got):\n%s", d)
			}
			e, _ := errs.As(r.Err())
			if e == nil || e.Code != "validation_failed" || e.Kind != errs.Unprocessable {
				t.Errorf("Err() = %v, want 422 validation_failed", r.Err())
			}
		})
	}
}

func TestCheckJSONRefusesAmbiguousKeys(t *testing.T) {
	tests := []struct {
		name   string
		body   string
		fields []string
	}{
		{"case variant overriding a key", `{"quantity":1,"QUANTITY":7}`, []string{"QUANTITY"}},
		{"case variant alone", `{"Title":"x"}`, []string{"Title"}},
		{"duplicate key", `{"title":"a","title":"b"}`, []string{"title"}},
		{"duplicate in a nested struct", `{"shipping_address":{"city":"a","city":"b"}}`, []string{"shipping_address.city"}},
		{"duplicate in a slice element", `{"variants":[{"sku":"a"},{"sku":"a","sku":"b"}]}`, []string{"variants[1].sku"}},
		{"duplicate in a map", `{"attributes":{"skin":"dry","skin":"oily"}}`, []string{"attributes.skin"}},
		{"duplicate deep in any", `{"attributes":{"x":[{"a":1,"a":2}]}}`, []string{"attributes.x[0].a"}},
		{"case variant in a nested struct", `{"shipping_address":{"Line1":"x"}}`, []string{"shipping_address.Line1"}},
		{"case variant of an embedded field", `{"NOTE":"x"}`, []string{"NOTE"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := CheckJSON([]byte(tt.body), docType)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.fields, fields(r.Malformed)); d != "" {
				t.Errorf("malformed fields (-want +got):\n%s", d)
			}
			e, _ := errs.As(r.Err())
			if e == nil || e.Code != "malformed_request" || e.Kind != errs.Invalid {
				t.Errorf("Err() = %v, want 400 malformed_request", r.Err())
			}
		})
	}
}

// TestCheckJSONMatchesEncodingJSONFolding: every key encoding/json would
// bind to a field case-insensitively (including through Unicode folds such
// as the long s, ſ, for s) is reported, so none can slip past.
func TestCheckJSONMatchesEncodingJSONFolding(t *testing.T) {
	for _, key := range []string{"TITLE", "tItLe", "\u017ftatus", "\u212aey"} {
		type doc struct {
			Title  string `json:"title"`
			Status string `json:"status"`
			Key    string `json:"key"`
		}
		body := []byte(`{"` + key + `":"x"}`)
		var d doc
		if err := json.Unmarshal(body, &d); err != nil || d == (doc{}) {
			continue // encoding/json does not bind it either
		}
		r, _ := CheckJSON(body, reflect.TypeFor[doc]())
		if len(r.Malformed) != 1 {
			t.Errorf("key %q binds a field in encoding/json but was not reported: %+v", key, r)
		}
	}
}

func TestCheckJSONPathsNeverEchoControls(t *testing.T) {
	r, _ := CheckJSON([]byte(`{"attributes":{"a.b\u202e\u0000":"\u0000"}}`), docType)
	for _, f := range r.Invalid {
		if !text.Valid(f.Field, text.Line) || !utf8.ValidString(f.Field) {
			t.Errorf("field %q holds characters the rules refuse", f.Field)
		}
	}
	if len(r.Invalid) != 2 {
		t.Errorf("want the key and its value reported, got %+v", r.Invalid)
	}
}

func TestCheckJSONBoundsItsReport(t *testing.T) {
	var b bytes.Buffer
	b.WriteString(`{"attributes":{`)
	for i := range 500 {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"k` + strings.Repeat("x", i) + `":"\u0000"`)
	}
	b.WriteString(`}}`)
	r, err := CheckJSON(b.Bytes(), docType)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Invalid) != maxReported {
		t.Errorf("%d errors reported, want %d", len(r.Invalid), maxReported)
	}
}

func TestCheckJSONRefusesSyntaxErrors(t *testing.T) {
	for _, b := range []string{``, `{`, `{"a":}`, `{"a":1}{}`, "{\"a\":\"\x00\"}", strings.Repeat("[", 20000) + strings.Repeat("]", 20000)} {
		if _, err := CheckJSON([]byte(b), docType); err == nil {
			t.Errorf("CheckJSON(%.40q) accepted invalid JSON", b)
		}
	}
}

func TestBindRefusesControlCharactersAndAmbiguousKeys(t *testing.T) {
	tests := []struct {
		name, body, code, field string
	}{
		{"NUL", `{"name":"a\u0000","qty":1}`, "validation_failed", "name"},
		{"bidi", `{"name":"a\u202e","qty":1}`, "validation_failed", "name"},
		{"nested", `{"name":"a","qty":1,"items":[{"sku":"\u0000"}]}`, "validation_failed", "items[0].sku"},
		{"case variant", `{"name":"a","qty":1,"QTY":7}`, "malformed_request", "QTY"},
		{"duplicate", `{"name":"a","qty":1,"qty":7}`, "malformed_request", "qty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := bindString(t, tt.body, "application/json")
			de, ok := errs.As(err)
			if !ok || de.Code != tt.code {
				t.Fatalf("Bind error = %v, want %s", err, tt.code)
			}
			if d := cmp.Diff([]string{tt.field}, fields(de.Fields)); d != "" {
				t.Errorf("fields (-want +got):\n%s", d)
			}
		})
	}
}

// FuzzCheckJSON feeds the checker arbitrary bytes (seeded with documents
// of every shape it walks): it must never panic, must answer ErrSyntax
// exactly when encoding/json finds the bytes invalid, must report every
// string encoding/json would decode to a refused character, and must name
// fields only with characters the rules allow.
func FuzzCheckJSON(f *testing.F) {
	seeds := []string{
		`{"title":"ok","quantity":1}`,
		`{"title":"a\u0000","QUANTITY":7,"quantity":1}`,
		`{"shipping_address":{"line1":"x","line1":"y"},"variants":[{"sku":"\ud800"}]}`,
		`{"attributes":{"a.b":{"c":["\u202e",1,true,null]}},"description":"x\ny"}`,
		"{\"title\":\"\xff\xfe\"}",
		`{"notes":["\t\r\n"],"labels":{"":"\u0085"},"at":"2024-01-01T00:00:00Z"}`,
		`[{"a":"\uDBFF\uDFFF"},"\uD83D",-1.5e10]`,
		`{"title":"\\\"\/\b\f"}`,
		``, `{`, `"`, `{"a":"\u12`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := CheckJSON(data, docType)
		if (err != nil) != !json.Valid(data) {
			t.Fatalf("CheckJSON error %v, json.Valid %v", err, json.Valid(data))
		}
		if err != nil {
			return
		}
		for _, fe := range append(r.Malformed, r.Invalid...) {
			if !text.Valid(fe.Field, text.Line) {
				t.Fatalf("field name %q holds refused characters", fe.Field)
			}
		}
		// What encoding/json decodes must be clean when nothing was reported
		// (it turns invalid UTF-8 into U+FFFD, so that case is left to the
		// table tests above).
		var v any
		if json.Unmarshal(data, &v) == nil && len(r.Invalid) == 0 && hasRefused(v) {
			t.Fatalf("a refused character passed unreported in %q", data)
		}
	})
}

// hasRefused reports whether any string or key in v breaks the free-text
// rule (the most lenient one, so a hit is a miss of the walker whatever the
// field's kind).
func hasRefused(v any) bool {
	switch x := v.(type) {
	case string:
		return !text.Valid(x, text.Free)
	case []any:
		for _, e := range x {
			if hasRefused(e) {
				return true
			}
		}
	case map[string]any:
		for k, e := range x {
			if !text.Valid(k, text.Free) || hasRefused(e) {
				return true
			}
		}
	}
	return false
}
