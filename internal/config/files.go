package config

import (
	"fmt"
	"net/url"
)

// validateFiles checks HEDER_FILES_URL: a folder on disk or an
// S3-compatible bucket; in-memory storage loses every file at restart, so
// only tests may use it.
func (c Config) validateFiles(serve bool) []error {
	u, err := url.Parse(c.FilesURL)
	if err != nil || c.FilesURL == "" {
		return []error{fmt.Errorf("HEDER_FILES_URL=%q is not a URL: use file:///var/lib/heder/files or s3://bucket?region=…", c.FilesURL)}
	}
	switch u.Scheme {
	case "file":
		if u.Path == "" || u.Path == "/" {
			return []error{fmt.Errorf("HEDER_FILES_URL=%q names no folder: use e.g. file:///var/lib/heder/files", c.FilesURL)}
		}
	case "s3":
		if u.Host == "" {
			return []error{fmt.Errorf("HEDER_FILES_URL=%q names no bucket: use s3://bucket?region=…", c.FilesURL)}
		}
	case "mem":
		if serve {
			return []error{fmt.Errorf("HEDER_FILES_URL=mem:// keeps files in memory and loses them at restart: use file:// or s3:// in `heder serve`")}
		}
	default:
		return []error{fmt.Errorf("HEDER_FILES_URL=%q must start with file:// or s3://", c.FilesURL)}
	}
	return nil
}
