package publication

import "testing"

func TestExcerpt(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in   string
		n    int
		want string
	}{
		{"", 10, ""},
		{"Kort.", 10, "Kort."},
		{"  Linjer\n  og   rom  ", 20, "Linjer og rom"},
		{"Asker kommune vinner fordi kommunen jobber helhetlig", 30, "Asker kommune vinner fordi…"},
		// A cut at a comma drops the comma.
		{"Træna, Sola, Sarpsborg og Horten", 13, "Træna, Sola…"},
		// One long word is cut inside it rather than dropped.
		{"Nyttiggjøringsarbeid", 8, "Nyttiggj…"},
	} {
		if got := excerpt(tt.in, tt.n); got != tt.want {
			t.Errorf("excerpt(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}
