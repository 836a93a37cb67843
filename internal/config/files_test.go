package config

import (
	"strings"
	"testing"
)

func TestFilesURL(t *testing.T) {
	t.Parallel()
	if got := Default().FilesURL; got != "file://./files" {
		t.Errorf("default FilesURL = %q", got)
	}
	tests := []struct {
		url   string
		serve bool
		want  string // a substring of the problem, "" for none
	}{
		{"file:///var/lib/heder/files", true, ""},
		{"file://./files", true, ""},
		{"s3://heder-files?region=eu-north-1&endpoint=https://s3.example.no&use_path_style=true", true, ""},
		{"mem://", false, ""},
		{"mem://", true, "loses them at restart"},
		{"file://", true, "names no folder"},
		{"s3://", true, "names no bucket"},
		{"ftp://files.example.no/heder", true, "must start with file:// or s3://"},
		{"/var/lib/heder/files", true, "must start with file:// or s3://"},
		{"", true, "is not a URL"},
	}
	for _, tt := range tests {
		c := Default()
		c.FilesURL = tt.url
		errs := c.validateFiles(tt.serve)
		switch {
		case tt.want == "" && len(errs) > 0:
			t.Errorf("%q (serve %v): %v", tt.url, tt.serve, errs)
		case tt.want != "" && (len(errs) != 1 || !strings.Contains(errs[0].Error(), tt.want)):
			t.Errorf("%q (serve %v): %v, want %q", tt.url, tt.serve, errs, tt.want)
		}
	}
	c, err := Load(env(map[string]string{"HEDER_FILES_URL": "s3://b?region=x"}))
	if err != nil || c.FilesURL != "s3://b?region=x" {
		t.Errorf("Load: %q, %v", c.FilesURL, err)
	}
}
