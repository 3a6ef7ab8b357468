package web

import (
	"encoding"
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/text"
)

// TagText is the struct tag that declares what text a string field may hold.
// `text:"free"` marks free text (descriptions, reasons, notes, passwords):
// tab, line feed and carriage return are allowed there. Every other string
// field, map value and array element is a single line (text.Line). The tag
// applies to everything inside the field: a free-text []string or map holds
// free-text values. Object keys are always single lines.
const TagText = "text"

// maxReported bounds the errors[] entries one body can produce.
const maxReported = 20

// ErrSyntax is returned by CheckJSON for bytes that are not one JSON value.
var ErrSyntax = errors.New("not a JSON value")

// JSONReport is what CheckJSON found. Malformed lists keys that make the
// document ambiguous (400): a key twice in one object, or a key that names a
// struct field only case-insensitively (encoding/json would accept both and
// keep the last, so a gateway and this server could read different values).
// Invalid lists strings, and map keys, whose characters are refused (422).
type JSONReport struct {
	Malformed []errs.FieldError
	Invalid   []errs.FieldError
}

// Err returns the error a request with this report answers, or nil: 400
// malformed_request for Malformed, else 422 validation_failed for Invalid.
func (r JSONReport) Err() error {
	switch {
	case len(r.Malformed) > 0:
		return errs.ErrMalformed.WithDetail("each key must appear once per object, spelled exactly as documented (keys are case-sensitive)").
			WithFields(r.Malformed...)
	case len(r.Invalid) > 0:
		return errs.ErrValidation.WithDetail("the request has text with characters that are not allowed").WithFields(r.Invalid...)
	}
	return nil
}

// CheckJSON walks data, one JSON value, in a single pass guided by t, the Go
// type it decodes into (nil: walk it untyped), and reports every duplicate
// or wrong-case key and every string or map key that breaks the text rules
// (internal/platform/text) for its field: text.Line unless the struct field
// is tagged `text:"free"`. Fields typed any or map are walked too. Paths are
// JSON paths as errors[].field shows them: shipping_address.line1,
// variants[0].title, attributes.skin, attributes["a.b"]. It returns
// ErrSyntax when data is not valid JSON.
func CheckJSON(data []byte, t reflect.Type) (JSONReport, error) {
	if !json.Valid(data) { // also bounds nesting (encoding/json allows 10000 levels)
		return JSONReport{}, ErrSyntax
	}
	w := walker{data: data}
	w.value("", t, text.Line)
	return w.report, nil
}

// walker is one pass over a document json.Valid accepted, so it need not
// re-check the grammar.
type walker struct {
	data   []byte
	pos    int
	buf    []byte
	report JSONReport
}

func (w *walker) malformed(path, msg string) {
	if len(w.report.Malformed) < maxReported {
		w.report.Malformed = append(w.report.Malformed, errs.FieldError{Field: fieldName(path), Message: msg})
	}
}

func (w *walker) invalid(path, msg string) {
	if len(w.report.Invalid) < maxReported {
		w.report.Invalid = append(w.report.Invalid, errs.FieldError{Field: fieldName(path), Message: msg})
	}
}

func fieldName(path string) string {
	if path == "" {
		return "(body)"
	}
	return path
}

func (w *walker) skipSpace() {
	for w.pos < len(w.data) {
		switch w.data[w.pos] {
		case ' ', '\t', '\n', '\r':
			w.pos++
		default:
			return
		}
	}
}

func (w *walker) value(path string, t reflect.Type, k text.Kind) {
	t = concrete(t)
	w.skipSpace()
	if w.pos >= len(w.data) {
		return
	}
	switch w.data[w.pos] {
	case '{':
		w.object(path, t, k)
	case '[':
		w.array(path, t, k)
	case '"':
		s, ok := w.str()
		w.checkText(path, "", s, ok, k)
	default: // number, true, false, null
		for w.pos < len(w.data) && !strings.ContainsRune(",]} \t\n\r", rune(w.data[w.pos])) {
			w.pos++
		}
	}
}

func (w *walker) checkText(path, prefix, s string, ok bool, k text.Kind) {
	p := text.Check(s, k)
	if !ok {
		p = text.InvalidUTF8
	}
	if p != text.OK {
		w.invalid(path, prefix+p.Message())
	}
}

func (w *walker) object(path string, t reflect.Type, k text.Kind) {
	w.pos++ // {
	var fields *structFields
	var elem reflect.Type
	if t != nil {
		switch t.Kind() {
		case reflect.Struct:
			fields = fieldsOf(t)
		case reflect.Map:
			elem = t.Elem()
		}
	}
	seen := map[string]bool{}
	for {
		w.skipSpace()
		if w.pos >= len(w.data) || w.data[w.pos] == '}' {
			w.pos++
			return
		}
		key, ok := w.str()
		w.skipSpace()
		w.pos++ // :
		kp := joinKey(path, key)
		if seen[key] {
			w.malformed(kp, "appears more than once in the object")
		}
		seen[key] = true
		childType, childKind := elem, k
		switch f, exact := fields.lookup(key); {
		case exact:
			childType, childKind = f.typ, f.kind
		case f.name != "":
			w.malformed(kp, "must be spelled "+strconv.Quote(f.name)+": keys are case-sensitive")
			childType, childKind = f.typ, f.kind
		default:
			w.checkText(kp, "key ", key, ok, text.Line)
		}
		w.value(kp, childType, childKind)
		w.skipSpace()
		if w.pos < len(w.data) && w.data[w.pos] == ',' {
			w.pos++
		}
	}
}

func (w *walker) array(path string, t reflect.Type, k text.Kind) {
	w.pos++ // [
	var elem reflect.Type
	if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
		elem = t.Elem()
	}
	for i := 0; ; i++ {
		w.skipSpace()
		if w.pos >= len(w.data) || w.data[w.pos] == ']' {
			w.pos++
			return
		}
		w.value(path+"["+strconv.Itoa(i)+"]", elem, k)
		w.skipSpace()
		if w.pos < len(w.data) && w.data[w.pos] == ',' {
			w.pos++
		}
	}
}

// str reads the string at w.pos (its opening quote) and decodes it. ok is
// false when it holds invalid UTF-8 or an escaped lone surrogate, which
// encoding/json would silently turn into U+FFFD.
func (w *walker) str() (string, bool) {
	w.pos++ // "
	w.buf = w.buf[:0]
	ok := true
	for w.pos < len(w.data) {
		c := w.data[w.pos]
		switch {
		case c == '"':
			w.pos++
			return string(w.buf), ok
		case c == '\\':
			r, good := w.escape()
			ok = ok && good
			w.buf = utf8.AppendRune(w.buf, r)
		case c < utf8.RuneSelf:
			w.buf = append(w.buf, c)
			w.pos++
		default:
			r, size := utf8.DecodeRune(w.data[w.pos:])
			if r == utf8.RuneError && size == 1 {
				ok = false
			}
			w.buf = utf8.AppendRune(w.buf, r)
			w.pos += size
		}
	}
	return string(w.buf), ok
}

// escape decodes the escape sequence at w.pos (its backslash).
func (w *walker) escape() (rune, bool) {
	if w.pos+1 >= len(w.data) {
		w.pos = len(w.data)
		return utf8.RuneError, false
	}
	c := w.data[w.pos+1]
	w.pos += 2
	switch c {
	case 'b':
		return '\b', true
	case 'f':
		return '\f', true
	case 'n':
		return '\n', true
	case 'r':
		return '\r', true
	case 't':
		return '\t', true
	case 'u':
	default: // " \ /
		return rune(c), true
	}
	r := w.hex4()
	if r < 0xd800 || r > 0xdfff {
		return r, true
	}
	if r < 0xdc00 && w.pos+1 < len(w.data) && w.data[w.pos] == '\\' && w.data[w.pos+1] == 'u' {
		save := w.pos
		w.pos += 2
		if lo := w.hex4(); lo >= 0xdc00 && lo <= 0xdfff {
			return 0x10000 + (r-0xd800)<<10 + (lo - 0xdc00), true
		}
		w.pos = save // not a low surrogate: read it as its own escape next
	}
	return utf8.RuneError, false
}

// hex4 reads four hex digits (json.Valid guarantees them).
func (w *walker) hex4() rune {
	if w.pos+4 > len(w.data) {
		w.pos = len(w.data)
		return utf8.RuneError
	}
	n, err := strconv.ParseUint(string(w.data[w.pos:w.pos+4]), 16, 32)
	w.pos += 4
	if err != nil {
		return utf8.RuneError
	}
	return rune(n)
}

// joinKey appends an object key to a path: a.b for plain keys, a["x.y"]
// for keys that would be ambiguous or unprintable in a path (quoted, with
// every non-ASCII character escaped, so no control character is echoed).
func joinKey(path, key string) string {
	plain := key != ""
	for _, r := range key {
		if r != '_' && r != '-' && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			plain = false
			break
		}
	}
	switch {
	case !plain:
		return path + "[" + strconv.QuoteToASCII(key) + "]"
	case path == "":
		return key
	}
	return path + "." + key
}

var (
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// concrete strips pointers, and returns nil (walk untyped) for types that
// decode themselves, whose JSON shape their Go fields do not describe.
func concrete(t reflect.Type) reflect.Type {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t.Kind() == reflect.Interface {
		return nil
	}
	pt := reflect.PointerTo(t)
	if pt.Implements(jsonUnmarshaler) || (t.Kind() != reflect.String && pt.Implements(textUnmarshaler)) {
		return nil
	}
	return t
}

// field is one JSON member of a struct.
type field struct {
	name string
	typ  reflect.Type
	kind text.Kind
}

// structFields are a struct's JSON members by name, as encoding/json sees
// them: json tags, "-" skipped, embedded structs' fields promoted.
type structFields struct {
	byName map[string]field
}

var fieldCache sync.Map // reflect.Type -> *structFields

func fieldsOf(t reflect.Type) *structFields {
	if f, ok := fieldCache.Load(t); ok {
		return f.(*structFields)
	}
	sf := &structFields{byName: map[string]field{}}
	collectFields(t, sf.byName, 0)
	fieldCache.Store(t, sf)
	return sf
}

// collectFields adds t's fields, then its embedded structs' fields, so a
// shallower field wins a name as in encoding/json.
func collectFields(t reflect.Type, out map[string]field, depth int) {
	var embedded []reflect.Type
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				embedded = append(embedded, ft)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		kind := text.Line
		if f.Tag.Get(TagText) == "free" {
			kind = text.Free
		}
		if _, taken := out[name]; !taken {
			out[name] = field{name: name, typ: f.Type, kind: kind}
		}
	}
	if depth < 8 {
		for _, et := range embedded {
			collectFields(et, out, depth+1)
		}
	}
}

// lookup finds key among the fields: exact is true for an exact match; else
// f names the field key matches only case-insensitively (zero if none).
func (sf *structFields) lookup(key string) (f field, exact bool) {
	if sf == nil {
		return field{}, false
	}
	if f, ok := sf.byName[key]; ok {
		return f, true
	}
	for name, f := range sf.byName {
		if strings.EqualFold(name, key) {
			return f, false
		}
	}
	return field{}, false
}
