package ui

import (
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/heder-awards/heder/internal/nominations"
)

func TestFilterQuery(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in         string
		page       bool
		want       string
		wantFilter nominations.Filter
		wantErrs   map[string]string
	}{
		{"", true, "", nominations.Filter{}, map[string]string{}},
		{"q=sv%C3%B8mmehall&status=submitted&page=2", true, "page=2&q=sv%C3%B8mmehall&status=submitted",
			nominations.Filter{Query: "svømmehall", Status: "submitted", Page: 2}, map[string]string{}},
		{"q=x&page=2", false, "q=x", nominations.Filter{Query: "x", Page: 2}, map[string]string{}},
		// Only the filter's own keys travel on: nothing to redirect with.
		{"next=https://example.com&county=5&evil=1", true, "county=5", nominations.Filter{CountyID: 5}, map[string]string{}},
		{"county=+&organisation=", true, "", nominations.Filter{}, map[string]string{}},
		{"county=Akershus&organisation=-3&page=x", true, "county=Akershus&organisation=-3&page=x",
			nominations.Filter{OrganisationID: -3}, map[string]string{"county": "exports.error.id", "organisation": "exports.error.id", "page": "exports.error.page"}},
		{"page=0", true, "page=0", nominations.Filter{}, map[string]string{"page": "exports.error.page"}},
	} {
		v, _ := url.ParseQuery(tt.in)
		if got := filterQuery(v, tt.page).Encode(); got != tt.want {
			t.Errorf("filterQuery(%q, %v) = %q, want %q", tt.in, tt.page, got, tt.want)
		}
		f, errs := parseFilter(v)
		if diff := cmp.Diff(tt.wantFilter, f); diff != "" {
			t.Errorf("parseFilter(%q) (-want +got):\n%s", tt.in, diff)
		}
		if diff := cmp.Diff(tt.wantErrs, errs); diff != "" {
			t.Errorf("parseFilter(%q) errors (-want +got):\n%s", tt.in, diff)
		}
	}
}
