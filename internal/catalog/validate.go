package catalog

import (
	"fmt"
	"math"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/id"
	"storekeep/internal/platform/money"
)

// Limits on catalog input. They keep one product a bounded amount of work and
// storage; the contract documents them as maxLength/maximum.
const (
	MaxTitleLen       = 200
	MaxDescriptionLen = 20000
	MaxTags           = 50
	MaxTagLen         = 50
	MaxAttributes     = 50
	MaxAttrStringLen  = 500
	MaxAttrListLen    = 50
	MaxOptions        = 3
	MaxOptionNameLen  = 50
	MaxOptionValues   = 100
	MaxOptionValueLen = 100
	MaxVariants       = 100
	MaxPricesPerVar   = 20
	MaxSKULen         = 64
	// MaxAmount is the largest price or cost in minor units (1 000 000 000.00
	// in a two-decimal currency).
	MaxAmount       = 100_000_000_000
	MaxWeightGrams  = 1_000_000
	MaxImages       = 50
	MaxURLLen       = 2048
	MaxAltLen       = 300
	MaxSEOTitleLen  = 200
	MaxSEODescLen   = 500
	MaxTranslations = 30
	MaxLinks        = 50 // category_ids and collection_ids each
	MaxPosition     = 100_000
)

var (
	skuPattern     = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._/-]*$`)
	attrKeyPattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)
)

func fieldError(field, msg string) errs.FieldError {
	return errs.FieldError{Field: field, Message: msg}
}

// validation wraps field errors into the 422 validation_failed error.
func validation(fields ...errs.FieldError) error {
	return errs.ErrValidation.WithFields(fields...)
}

// checker collects field errors.
type checker struct{ errs []errs.FieldError }

func (c *checker) add(field, format string, args ...any) {
	c.errs = append(c.errs, fieldError(field, fmt.Sprintf(format, args...)))
}

func (c *checker) err() error {
	if len(c.errs) == 0 {
		return nil
	}
	return validation(c.errs...)
}

// text checks a free-text field's length in characters.
func (c *checker) text(field, v string, max int, required bool) {
	switch {
	case required && strings.TrimSpace(v) == "":
		c.add(field, "is required")
	case !utf8.ValidString(v):
		c.add(field, "must be valid UTF-8")
	case utf8.RuneCountInString(v) > max:
		c.add(field, "must be at most %d characters", max)
	}
}

func (c *checker) handle(field, h string) {
	if !ValidHandle(h) {
		c.add(field, "must be lower-case letters and digits in groups joined by single hyphens, at most %d characters", MaxHandleLen)
	}
}

func (c *checker) amount(field string, a money.Amount) {
	if !money.ValidCurrency(a.Currency) {
		c.add(field+".currency", "must be a supported ISO 4217 currency code in upper case")
	}
	if a.Minor < 0 || a.Minor > MaxAmount {
		c.add(field+".amount", "must be from 0 to %d minor units", int64(MaxAmount))
	}
}

func (c *checker) translations(trs map[string]Translation) {
	if len(trs) > MaxTranslations {
		c.add("translations", "must have at most %d locales", MaxTranslations)
	}
	for _, l := range sortedKeys(trs) {
		t, f := trs[l], "translations."+l
		if !ValidLocale(l) {
			c.add(f, "locale must look like fr or fr-CA")
			continue
		}
		if l == DefaultLocale {
			c.add(f, "%s is the default language: set the fields themselves", DefaultLocale)
			continue
		}
		c.text(f+".title", t.Title, MaxTitleLen, false)
		c.text(f+".description", t.Description, MaxDescriptionLen, false)
		c.text(f+".seo.title", t.SEO.Title, MaxSEOTitleLen, false)
		c.text(f+".seo.description", t.SEO.Description, MaxSEODescLen, false)
	}
}

// ids checks and de-duplicates references of one kind ("cat", "col").
func (c *checker) ids(field, prefix string, in []string) []string {
	if len(in) > MaxLinks {
		c.add(field, "must have at most %d entries", MaxLinks)
		return in
	}
	out := make([]string, 0, len(in))
	for i, v := range in {
		if !id.Valid(prefix, v) {
			c.add(fmt.Sprintf("%s[%d]", field, i), "must be a %s_ id", prefix)
			continue
		}
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// validate checks st and normalises it in place (trimmed title, lower-case
// de-duplicated tags, typed attributes). existing lists the product's live
// variant ids, which are the only ids a variant entry may carry.
func (st *productState) validate(existing []string) error {
	c := &checker{}
	st.Title = strings.TrimSpace(st.Title)
	c.text("title", st.Title, MaxTitleLen, true)
	if st.HandleChanged {
		c.handle("handle", st.Handle)
	}
	c.text("description", st.Description, MaxDescriptionLen, false)
	if !st.Status.Valid() {
		c.add("status", "must be one of: draft, published, archived")
	}
	st.CategoryIDs = c.ids("category_ids", "cat", st.CategoryIDs)
	st.CollectionIDs = c.ids("collection_ids", "col", st.CollectionIDs)
	st.SalesChannelIDs = c.ids("sales_channel_ids", "sc", st.SalesChannelIDs)
	st.Tags = c.tags(st.Tags)
	st.Attributes = c.attributes(st.Attributes)
	c.options(st.Options)
	c.variants(st, existing)
	if len(st.Images) > MaxImages {
		c.add("images", "must have at most %d entries", MaxImages)
	}
	for i, im := range st.Images {
		f := fmt.Sprintf("images[%d]", i)
		if !httpURL(im.URL) {
			c.add(f+".url", "must be an absolute http(s) URL of at most %d characters", MaxURLLen)
		}
		c.text(f+".alt", im.Alt, MaxAltLen, false)
	}
	c.text("seo.title", st.SEO.Title, MaxSEOTitleLen, false)
	c.text("seo.description", st.SEO.Description, MaxSEODescLen, false)
	c.translations(st.Translations)
	return c.err()
}

func httpURL(s string) bool {
	if len(s) > MaxURLLen || strings.ContainsAny(s, " \t\r\n") {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.User == nil
}

func (c *checker) tags(in []string) []string {
	if len(in) > MaxTags {
		c.add("tags", "must have at most %d entries", MaxTags)
		return in
	}
	out := make([]string, 0, len(in))
	for i, t := range in {
		t = strings.ToLower(strings.TrimSpace(t))
		f := fmt.Sprintf("tags[%d]", i)
		if t == "" {
			c.add(f, "must not be empty")
			continue
		}
		c.text(f, t, MaxTagLen, false)
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// attributes checks free-form attributes: keys are snake_case words, values
// are a string, a number, a boolean or a list of strings. Lists come back as
// []string.
func (c *checker) attributes(in map[string]any) map[string]any {
	out := make(map[string]any, len(in))
	if len(in) > MaxAttributes {
		c.add("attributes", "must have at most %d keys", MaxAttributes)
		return out
	}
	for _, k := range sortedKeys(in) {
		f := "attributes." + k
		if !attrKeyPattern.MatchString(k) {
			c.add(f, "key must be lower-case letters, digits and underscores, starting with a letter, at most 64 characters")
			continue
		}
		switch v := in[k].(type) {
		case string:
			c.text(f, v, MaxAttrStringLen, false)
			out[k] = v
		case bool:
			out[k] = v
		case float64:
			if math.IsNaN(v) || math.IsInf(v, 0) {
				c.add(f, "must be a finite number")
			}
			out[k] = v
		case int:
			out[k] = float64(v)
		case []string:
			out[k] = c.attrList(f, v)
		case []any:
			list := make([]string, 0, len(v))
			for _, e := range v {
				s, ok := e.(string)
				if !ok {
					c.add(f, "must be a string, a number, a boolean or a list of strings")
					break
				}
				list = append(list, s)
			}
			out[k] = c.attrList(f, list)
		default:
			c.add(f, "must be a string, a number, a boolean or a list of strings")
		}
	}
	return out
}

func (c *checker) attrList(f string, v []string) []string {
	if len(v) > MaxAttrListLen {
		c.add(f, "must have at most %d entries", MaxAttrListLen)
	}
	for i, s := range v {
		c.text(fmt.Sprintf("%s[%d]", f, i), s, MaxAttrStringLen, true)
	}
	return v
}

func (c *checker) options(opts []Option) {
	if len(opts) > MaxOptions {
		c.add("options", "must have at most %d entries", MaxOptions)
		return
	}
	seen := map[string]bool{}
	for i, o := range opts {
		f := fmt.Sprintf("options[%d]", i)
		c.text(f+".name", o.Name, MaxOptionNameLen, true)
		if seen[strings.ToLower(o.Name)] {
			c.add(f+".name", "duplicates another option's name")
		}
		seen[strings.ToLower(o.Name)] = true
		if len(o.Values) == 0 || len(o.Values) > MaxOptionValues {
			c.add(f+".values", "must have from 1 to %d entries", MaxOptionValues)
		}
		for j, v := range o.Values {
			vf := fmt.Sprintf("%s.values[%d]", f, j)
			c.text(vf, v, MaxOptionValueLen, true)
			if v != strings.TrimSpace(v) {
				c.add(vf, "must not start or end with spaces")
			}
			if slices.Index(o.Values, v) < j {
				c.add(vf, "duplicates another value")
			}
		}
	}
}

func (c *checker) variants(st *productState, existing []string) {
	if len(st.Variants) == 0 || len(st.Variants) > MaxVariants {
		c.add("variants", "must have from 1 to %d entries", MaxVariants)
		return
	}
	skus := map[string]int{}
	combos := map[string]int{}
	ids := map[string]bool{}
	for i := range st.Variants {
		v := &st.Variants[i]
		v.SKU = strings.TrimSpace(v.SKU)
		switch {
		case v.SKU == "":
			c.add(v.field("sku"), "is required")
		case len(v.SKU) > MaxSKULen || !skuPattern.MatchString(v.SKU):
			c.add(v.field("sku"), "must be at most %d letters, digits and . _ / - characters, starting with a letter or digit", MaxSKULen)
		}
		if j, dup := skus[v.SKU]; dup && v.SKU != "" {
			c.add(st.Variants[pickTouched(st.Variants, j, i)].field("sku"), "is used by two variants of this product")
		}
		skus[v.SKU] = i
		if v.ID != "" {
			if !slices.Contains(existing, v.ID) || ids[v.ID] {
				c.add(v.field("id"), "must be the id of a live variant of this product, listed once")
			}
			ids[v.ID] = true
		}
		c.text(v.field("title"), v.Title, MaxTitleLen, false)
		if c.variantOptions(st.Options, v) {
			key := comboKey(st.Options, v.Options)
			if j, dup := combos[key]; dup {
				c.add(st.Variants[pickTouched(st.Variants, j, i)].field("options"), "repeats the option values of another variant")
			}
			combos[key] = i
		}
		c.prices(v)
		if v.Cost != nil {
			c.amount(v.field("cost"), *v.Cost)
		}
		if v.WeightGrams < 0 || v.WeightGrams > MaxWeightGrams {
			c.add(v.field("weight_grams"), "must be from 0 to %d", MaxWeightGrams)
		}
	}
}

// pickTouched chooses which of two clashing variants to blame: the one this
// request sent, else the later one.
func pickTouched(vs []variantState, earlier, later int) int {
	if vs[earlier].touched && !vs[later].touched {
		return earlier
	}
	return later
}

// variantOptions checks v names exactly the product's options with allowed
// values; it reports whether the combination is well-formed.
func (c *checker) variantOptions(opts []Option, v *variantState) bool {
	ok := true
	for _, o := range opts {
		val, has := v.Options[o.Name]
		switch {
		case !has:
			c.add(v.field("options."+o.Name), "is required: the product has this option")
			ok = false
		case !slices.Contains(o.Values, val):
			c.add(v.field("options."+o.Name), "must be one of the option's values: %s", strings.Join(o.Values, ", "))
			ok = false
		}
	}
	for _, k := range sortedKeys(v.Options) {
		if !slices.ContainsFunc(opts, func(o Option) bool { return o.Name == k }) {
			c.add(v.field("options."+k), "is not an option of this product")
			ok = false
		}
	}
	return ok
}

func (c *checker) prices(v *variantState) {
	if len(v.Prices) == 0 || len(v.Prices) > MaxPricesPerVar {
		c.add(v.field("prices"), "must have from 1 to %d entries", MaxPricesPerVar)
		return
	}
	seen := map[string]bool{}
	for i, p := range v.Prices {
		f := v.field(fmt.Sprintf("prices[%d]", i))
		c.amount(f, p)
		if seen[p.Currency] {
			c.add(f+".currency", "repeats a currency: one price per currency")
		}
		seen[p.Currency] = true
	}
}

// comboKey identifies a variant's option values, in option order.
func comboKey(opts []Option, vals map[string]string) string {
	var b strings.Builder
	for _, o := range opts {
		b.WriteString(vals[o.Name])
		b.WriteByte(0)
	}
	return b.String()
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
