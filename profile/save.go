package profile

import (
	"bytes"
	"fmt"

	"github.com/goccy/go-yaml"

	"github.com/cprready/cprready/internal/fsutil"
)

// Marshal renders the profile as YAML (secrets as their references).
// Comments the profile had when it was loaded are written back in place
// (by YAML path); a new profile gets a header saying how to check it.
func (p *Profile) Marshal() ([]byte, error) {
	opts := []yaml.EncodeOption{yaml.IndentSequence(true), yaml.UseLiteralStyleIfMultiline(true)}
	if len(p.comments) > 0 {
		opts = append(opts, yaml.WithComment(p.comments))
	}
	b, err := yaml.MarshalWithOptions(p, opts...)
	if err != nil {
		return nil, err
	}
	if len(p.comments) > 0 {
		return b, nil
	}
	var out bytes.Buffer
	out.WriteString("# cprready profile: check it with `cprready check --profile <this file>`.\n")
	out.WriteString("# Format: https://github.com/cprready/cprready/blob/main/docs/profile.md\n")
	out.Write(b)
	return out.Bytes(), nil
}

// Save writes the profile atomically, owner-only (mode 0600; an ACL on
// Windows), and checks that what was written loads back.
func (p *Profile) Save(path string) error {
	b, err := p.Marshal()
	if err != nil {
		return err
	}
	if _, err := Parse(b, path); err != nil {
		return fmt.Errorf("the profile would not load back: %w", err)
	}
	if err := fsutil.WriteFileAtomic(path, b); err != nil {
		return err
	}
	p.Path = path
	return nil
}

// DropComments forgets the file's comments: Marshal then writes none (a
// redacted copy must not carry the user's notes).
func (p *Profile) DropComments() { p.comments = nil }
