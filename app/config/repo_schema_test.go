package config_test

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"

	"github.com/shiftward/shiftward/app/config"
)

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(config.RepoSchema))
	if err != nil {
		t.Fatalf("schema is not JSON: %v", err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	if err := c.AddResource("shiftward.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("shiftward.schema.json")
	if err != nil {
		t.Fatalf("schema does not compile: %v", err)
	}
	return s
}

// schemaValidate checks a YAML document against the schema as an editor
// would: YAML → JSON value → validation. A document YAML itself refuses
// (a syntax error, a duplicate key) counts as rejected.
func schemaValidate(t *testing.T, s *jsonschema.Schema, data []byte) error {
	t.Helper()
	var v any
	if err := yaml.Unmarshal(data, &v); err != nil {
		return err
	}
	if v == nil {
		v = map[string]any{} // an empty file is an empty mapping
	}
	b, err := json.Marshal(plainDates(v))
	if err != nil {
		return err
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		return err
	}
	return s.Validate(inst)
}

// plainDates turns the time.Time yaml.v3 makes of an unquoted 2030-06-30
// back into the string editors (YAML 1.2 core schema) see.
func plainDates(v any) any {
	switch x := v.(type) {
	case time.Time:
		if x.Equal(x.Truncate(24 * time.Hour)) {
			return x.Format(time.DateOnly)
		}
		return x.Format(time.RFC3339)
	case map[string]any:
		for k, e := range x {
			x[k] = plainDates(e)
		}
	case []any:
		for i, e := range x {
			x[i] = plainDates(e)
		}
	}
	return v
}

// TestSchemaAgreesWithParser: every example ParseSettings accepts, the schema
// accepts; every example ParseSettings rejects, the schema rejects too, except
// those marked "# schema: accepts" (what JSON Schema cannot express: RE2
// compilation, glob syntax, calendar dates, several documents).
func TestSchemaAgreesWithParser(t *testing.T) {
	s := compileSchema(t)
	for name, data := range examples(t, "valid") {
		if err := schemaValidate(t, s, data); err != nil {
			t.Errorf("valid/%s: the schema rejects it: %v", name, err)
		}
	}
	for name, data := range examples(t, "invalid") {
		_, accepts := wants(t, data)
		err := schemaValidate(t, s, data)
		switch {
		case accepts && err != nil:
			t.Errorf("invalid/%s is marked '# schema: accepts' but the schema rejects it: %v", name, err)
		case !accepts && err == nil:
			t.Errorf("invalid/%s: the parser rejects it but the schema accepts it", name)
		}
	}
}
