package config

import _ "embed"

// RepoSchema is the JSON Schema (draft 2020-12) of .shiftward.yml, so editors
// can complete and check the file; the server may serve it. Tests keep it in
// agreement with ParseSettings.
//
//go:embed shiftward.schema.json
var RepoSchema []byte
