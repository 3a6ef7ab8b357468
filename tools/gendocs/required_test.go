package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"maps"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// dtoField is one JSON field of a Go struct the contract names.
type dtoField struct {
	json    string
	omit    bool // omitempty: left out when empty
	pointer bool // sent as null when unset (without omitempty)
	at      string
}

// TestResponseFieldsMatchTheirGoTags holds the rule for every schema a
// response uses, against the Go struct it is generated from (the one whose
// closing brace carries `// @name Schema`): a field without omitempty is
// always sent, so it is required; a pointer without omitempty is sent as
// null, so it is also nullable; a field with omitempty may be missing, so it
// is not required. swag reads binding:"required" and x-nullable from tags
// the author must remember; this test remembers for them.
func TestResponseFieldsMatchTheirGoTags(t *testing.T) {
	doc := contract(t)
	structs := namedStructs(t, "../../api", "../../internal")
	checked := 0
	for _, name := range responseSchemas(doc) {
		fields, ok := structs[name]
		if !ok {
			continue // not from a Go struct (an enum, or made by gendocs)
		}
		s := doc.Components.Schemas[name].Value
		for _, f := range fields {
			prop := s.Properties[f.json]
			if prop == nil {
				t.Errorf("%s: %s.%s is not in the schema", f.at, name, f.json)
				continue
			}
			required := slices.Contains(s.Required, f.json)
			switch {
			case !f.omit && !required:
				t.Errorf("%s: %s.%s is always sent but not required (add binding:\"required\")", f.at, name, f.json)
			case f.omit && required:
				t.Errorf("%s: %s.%s has omitempty but is required", f.at, name, f.json)
			case f.pointer && !f.omit && !nullable(prop):
				t.Errorf("%s: %s.%s is sent as null when unset but not nullable (add extensions:\"x-nullable\")", f.at, name, f.json)
			}
			checked++
		}
	}
	if checked < 300 {
		t.Fatalf("checked only %d fields: the scan of the Go structs is broken", checked)
	}
}

// nullable tells whether a property admits null, directly or on the
// allOf wrapper swag writes around a described $ref.
func nullable(p *openapi3.SchemaRef) bool {
	return p.Value != nil && p.Value.Nullable
}

// responseSchemas lists the components some response refers to, directly
// or through other components.
func responseSchemas(doc *openapi3.T) []string {
	seen := map[string]bool{}
	var visit func(ref *openapi3.SchemaRef)
	visit = func(ref *openapi3.SchemaRef) {
		if ref == nil {
			return
		}
		if name, ok := strings.CutPrefix(ref.Ref, "#/components/schemas/"); ok {
			if seen[name] {
				return
			}
			seen[name] = true
		}
		s := ref.Value
		if s == nil {
			return
		}
		for _, p := range s.Properties {
			visit(p)
		}
		visit(s.Items)
		visit(s.AdditionalProperties.Schema)
		for _, sub := range slices.Concat(s.AllOf, s.OneOf, s.AnyOf) {
			visit(sub)
		}
	}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			for _, r := range op.Responses.Map() {
				if r.Value == nil {
					continue
				}
				for _, mt := range r.Value.Content {
					visit(mt.Schema)
				}
			}
		}
	}
	return slices.Sorted(maps.Keys(seen))
}

// namedStructs reads the non-test Go files under dirs and returns, for
// every struct whose closing brace carries `// @name Schema`, its JSON
// fields (those of embedded structs of the same package included).
func namedStructs(t *testing.T, dirs ...string) map[string][]dtoField {
	t.Helper()
	type decl struct {
		st   *ast.StructType
		pkg  string // directory: embedded types are looked up there
		name string // the schema name, "" without @name
	}
	byType := map[string]decl{} // dir + "." + Go type name
	fset := token.NewFileSet()
	for _, dir := range dirs {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
			if err != nil {
				return err
			}
			ast.Inspect(f, func(n ast.Node) bool {
				ts, ok := n.(*ast.TypeSpec)
				if !ok {
					return true
				}
				st, ok := ts.Type.(*ast.StructType)
				if !ok {
					return true
				}
				name := ""
				end := fset.Position(st.End()).Line
				for _, c := range f.Comments {
					if fset.Position(c.Pos()).Line == end {
						if _, after, ok := strings.Cut(c.Text(), "@name"); ok {
							name = strings.TrimSpace(after)
						}
					}
				}
				byType[filepath.Dir(path)+"."+ts.Name.Name] = decl{st: st, pkg: filepath.Dir(path), name: name}
				return true
			})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	var fieldsOf func(d decl) []dtoField
	fieldsOf = func(d decl) []dtoField {
		var out []dtoField
		for _, fl := range d.st.Fields.List {
			tag := ""
			if fl.Tag != nil {
				tag = strings.Trim(fl.Tag.Value, "`")
			}
			js, opts, _ := strings.Cut(reflect.StructTag(tag).Get("json"), ",")
			if js == "-" {
				continue
			}
			if len(fl.Names) == 0 { // embedded: its fields are promoted
				if id, ok := fl.Type.(*ast.Ident); ok && js == "" {
					if emb, ok := byType[d.pkg+"."+id.Name]; ok {
						out = append(out, fieldsOf(emb)...)
					}
				}
				continue
			}
			if !fl.Names[0].IsExported() {
				continue
			}
			if js == "" {
				js = fl.Names[0].Name
			}
			_, ptr := fl.Type.(*ast.StarExpr)
			out = append(out, dtoField{json: js, omit: slices.Contains(strings.Split(opts, ","), "omitempty"),
				pointer: ptr, at: fset.Position(fl.Pos()).String()})
		}
		return out
	}
	out := map[string][]dtoField{}
	for _, d := range byType {
		if d.name != "" {
			out[d.name] = fieldsOf(d)
		}
	}
	return out
}
