package schulze

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// The candidates of the published examples.
const (
	A int64 = iota + 1
	B
	C
	D
	E
)

// profile expands lines like "5 ACBED" (five ballots ranking A, C, B, E, D
// in that order, no ties) into ballots.
func profile(t *testing.T, lines ...string) []Ballot {
	t.Helper()
	var out []Ballot
	for _, l := range lines {
		count, order, ok := strings.Cut(l, " ")
		n, err := strconv.Atoi(count)
		if !ok || err != nil {
			t.Fatalf("bad profile line %q", l)
		}
		for range n {
			b := Ballot{}
			for k, c := range order {
				b[int64(c-'A')+1] = k + 1
			}
			out = append(out, b)
		}
	}
	return out
}

// want is a result written out by hand; nil Steps means none.
type want struct {
	D, P    [][]int
	Groups  [][]int64
	Steps   []Step
	Winners []int64
	Tied    bool
}

func checkWant(t *testing.T, got Result, w want) {
	t.Helper()
	opt := cmpopts.EquateEmpty()
	if diff := cmp.Diff(w.D, got.D); diff != "" {
		t.Errorf("D (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(w.P, got.P); diff != "" {
		t.Errorf("P (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(w.Groups, got.Groups); diff != "" {
		t.Errorf("Groups (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(w.Steps, got.Steps, opt); diff != "" {
		t.Errorf("Steps (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(w.Winners, got.Winners); diff != "" {
		t.Errorf("Winners (-want +got):\n%s", diff)
	}
	if got.Tied != w.Tied {
		t.Errorf("Tied = %v, want %v", got.Tied, w.Tied)
	}
}

// TestWikipediaExample is the main example of Wikipedia's "Schulze method"
// (also Example 1 of the examples Markus Schulze collected on electowiki):
// 45 voters, candidates A–E. The tables are the published ones, recounted
// by hand and with an independent script before being written here; the
// published ranking is E > A > C > B > D, with the reasons "As 25 =
// p[E,A] > p[A,E] = 24 …", "As 28 = p[A,C] > p[C,A] = 25", "As 29 = p[C,B]
// > p[B,C] = 28" and "As 33 = p[B,D] > p[D,B] = 28".
func TestWikipediaExample(t *testing.T) {
	ballots := profile(t, "5 ACBED", "5 ADECB", "8 BEDAC", "3 CABED", "7 CAEBD", "2 CBADE", "7 DCEBA", "8 EBADC")
	got, err := Compute([]int64{A, B, C, D, E}, ballots)
	if err != nil {
		t.Fatal(err)
	}
	checkWant(t, got, want{
		D: [][]int{
			{0, 20, 26, 30, 22},
			{25, 0, 16, 33, 18},
			{19, 29, 0, 17, 24},
			{15, 12, 28, 0, 14},
			{23, 27, 21, 31, 0},
		},
		P: [][]int{
			{0, 28, 28, 30, 24},
			{25, 0, 28, 33, 24},
			{25, 29, 0, 29, 24},
			{25, 28, 28, 0, 24},
			{25, 28, 28, 31, 0},
		},
		Groups: [][]int64{{E}, {A}, {C}, {B}, {D}},
		Steps: []Step{
			{Ahead: E, Behind: A, For: 25, Against: 24},
			{Ahead: A, Behind: C, For: 28, Against: 25},
			{Ahead: C, Behind: B, For: 29, Against: 28},
			{Ahead: B, Behind: D, For: 33, Against: 28},
		},
		Winners: []int64{E},
	})
	checkPaths(t, got)
	// Where the strongest path is unique, it is the published one; from E
	// to A Wikipedia shows E-(31)-D-(28)-C-(29)-B-(25)-A, and E-(27)-B-(25)-A
	// is as strong with fewer links.
	for _, c := range []struct {
		from, to int64
		want     []int64
	}{
		{A, B, []int64{A, D, C, B}},
		{A, C, []int64{A, D, C}},
		{B, C, []int64{B, D, C}},
		{C, E, []int64{C, E}},
		{D, A, []int64{D, C, B, A}},
		{E, A, []int64{E, B, A}},
	} {
		if diff := cmp.Diff(c.want, got.Path(c.from, c.to)); diff != "" {
			t.Errorf("Path(%d, %d) (-want +got):\n%s", c.from, c.to, diff)
		}
	}
}

// TestTiedResults are published or classic votes whose result is a tie.
func TestTiedResults(t *testing.T) {
	for _, tc := range []struct {
		name       string
		candidates []int64
		ballots    []string
		want       want
	}{
		{
			// Example 4 of Markus Schulze's examples of the path heuristic
			// (electowiki "Schulze method"; the same example in his
			// Wikipedia user page "Schulze method examples"): 9 voters,
			// "candidate B and candidate D are potential winners". Recounted
			// by hand: d[A,B] = 3+2 = 5, d[B,A] = 2+2 = 4, d[B,C] = 7,
			// d[D,A] = 6 …; the links are A→B 5, A→C 5, B→C 7, B→D 5,
			// C→D 5, D→A 6. D beats A (6 > 5) and B beats C (7 > 5); every
			// other pair is tied at 5, so no candidate can be placed above
			// or below the others as a whole and all four form one group.
			name:       "Schulze example 4",
			candidates: []int64{A, B, C, D},
			ballots:    []string{"3 ABCD", "2 DABC", "2 DBCA", "2 CBDA"},
			want: want{
				D: [][]int{
					{0, 5, 5, 3},
					{4, 0, 7, 5},
					{4, 2, 0, 5},
					{6, 4, 4, 0},
				},
				P: [][]int{
					{0, 5, 5, 5},
					{5, 0, 7, 5},
					{5, 5, 0, 5},
					{6, 5, 5, 0},
				},
				// B and D beat one candidate each, so they are listed first.
				Groups:  [][]int64{{B, D, A, C}},
				Winners: []int64{B, D},
				Tied:    true,
			},
		},
		{
			// Condorcet's paradox, the smallest cycle: each candidate is
			// preferred 2 to 1 over the next, so every path has strength 2
			// and all three are tied.
			name:       "Condorcet cycle",
			candidates: []int64{A, B, C},
			ballots:    []string{"1 ABC", "1 BCA", "1 CAB"},
			want: want{
				D:       [][]int{{0, 2, 1}, {1, 0, 2}, {2, 1, 0}},
				P:       [][]int{{0, 2, 2}, {2, 0, 2}, {2, 2, 0}},
				Groups:  [][]int64{{A, B, C}},
				Winners: []int64{A, B, C},
				Tied:    true,
			},
		},
		{
			// Two jurors who disagree: no link either way, a tie for the
			// win, and C last by 2 to 0 against both.
			name:       "split jury",
			candidates: []int64{A, B, C},
			ballots:    []string{"1 ABC", "1 BAC"},
			want: want{
				D:       [][]int{{0, 1, 2}, {1, 0, 2}, {0, 0, 0}},
				P:       [][]int{{0, 0, 2}, {0, 0, 2}, {0, 0, 0}},
				Groups:  [][]int64{{A, B}, {C}},
				Steps:   []Step{{Ahead: A, Behind: C, For: 2, Against: 0}},
				Winners: []int64{A, B},
				Tied:    true,
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Compute(tc.candidates, profile(t, tc.ballots...))
			if err != nil {
				t.Fatal(err)
			}
			checkWant(t, got, tc.want)
			checkPaths(t, got)
		})
	}
}

// TestBallotTies counts ballots with equal ranks, gaps and unranked
// candidates; the tables are worked out by hand in the comments.
func TestBallotTies(t *testing.T) {
	for _, tc := range []struct {
		name       string
		candidates []int64
		ballots    []Ballot
		want       want
	}{
		{
			// A=B>C; A>B=C (B, C unranked); B=C>A (ranks 2, 2 with no 1,
			// A unranked). A:B 1–1 (ballots 2 and 3), A:C 2–1, B:C 1–0
			// (ballot 1; the others tie them). Links A→C 2 and B→C 1, A and
			// B tied: both may win, C is last, most narrowly behind B.
			name:       "tie at the top",
			candidates: []int64{A, B, C},
			ballots:    []Ballot{{A: 1, B: 1}, {A: 1}, {B: 2, C: 2}},
			want: want{
				D:       [][]int{{0, 1, 2}, {1, 0, 1}, {1, 0, 0}},
				P:       [][]int{{0, 0, 2}, {0, 0, 1}, {0, 0, 0}},
				Groups:  [][]int64{{A, B}, {C}},
				Steps:   []Step{{Ahead: B, Behind: C, For: 1, Against: 0}},
				Winners: []int64{A, B},
				Tied:    true,
			},
		},
		{
			// A=B>C>D; C alone; B>D; an empty ballot, which prefers no one.
			// A:B 0–1, A:C 1–1, A:D 1–1, B:C 2–1, B:D 2–0, C:D 2–1. Links
			// B→A 1, B→C 2, B→D 2, C→D 2. B beats everyone; C beats D, but
			// A is tied with both, so A, C, D stay one group (C first, as it
			// beats one candidate) and the closest step is B over A, 1 to 0.
			name:       "unranked and empty ballots",
			candidates: []int64{A, B, C, D},
			ballots:    []Ballot{{A: 1, B: 1, C: 2}, {C: 1}, {B: 1, D: 2}, {}},
			want: want{
				D: [][]int{
					{0, 0, 1, 1},
					{1, 0, 2, 2},
					{1, 1, 0, 2},
					{1, 0, 1, 0},
				},
				P: [][]int{
					{0, 0, 0, 0},
					{1, 0, 2, 2},
					{0, 0, 0, 2},
					{0, 0, 0, 0},
				},
				Groups:  [][]int64{{B}, {C, A, D}},
				Steps:   []Step{{Ahead: B, Behind: A, For: 1, Against: 0}},
				Winners: []int64{B},
				Tied:    true,
			},
		},
		{
			// No ballots yet: nothing is decided.
			name:       "no ballots",
			candidates: []int64{C, A},
			want: want{
				D:       [][]int{{0, 0}, {0, 0}},
				P:       [][]int{{0, 0}, {0, 0}},
				Groups:  [][]int64{{C, A}},
				Winners: []int64{C, A},
				Tied:    true,
			},
		},
		{
			// One candidate wins alone, untied.
			name:       "single candidate",
			candidates: []int64{42},
			ballots:    []Ballot{{42: 1}, {}},
			want: want{
				D:       [][]int{{0}},
				P:       [][]int{{0}},
				Groups:  [][]int64{{42}},
				Winners: []int64{42},
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Compute(tc.candidates, tc.ballots)
			if err != nil {
				t.Fatal(err)
			}
			checkWant(t, got, tc.want)
			checkPaths(t, got)
		})
	}
}

func TestInvalid(t *testing.T) {
	for _, tc := range []struct {
		name       string
		candidates []int64
		ballots    []Ballot
		text       string
	}{
		{"no candidates", nil, []Ballot{{}}, "no candidates"},
		{"duplicate candidate", []int64{A, B, A}, nil, "candidate 1 listed twice"},
		{"unknown candidate", []int64{A, B}, []Ballot{{A: 1}, {A: 1, C: 2}}, "ballot 1 ranks unknown candidate 3"},
		{"rank 0", []int64{A, B}, []Ballot{{A: 0}}, "ballot 0 gives candidate 1 rank 0"},
		{"negative rank", []int64{A, B}, []Ballot{{A: 1, B: -2}}, "ballot 0 gives candidate 2 rank -2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Compute(tc.candidates, tc.ballots)
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("err = %v, want ErrInvalid", err)
			}
			if !strings.Contains(err.Error(), tc.text) {
				t.Errorf("err = %q, want it to say %q", err, tc.text)
			}
		})
	}
}

func TestPathUnknown(t *testing.T) {
	r, err := Compute([]int64{A, B}, profile(t, "1 AB"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ from, to int64 }{{A, A}, {B, A}, {A, 99}, {99, A}} {
		if p := r.Path(c.from, c.to); p != nil {
			t.Errorf("Path(%d, %d) = %v, want nil", c.from, c.to, p)
		}
	}
	if diff := cmp.Diff([]int64{A, B}, r.Path(A, B)); diff != "" {
		t.Errorf("Path(A, B) (-want +got):\n%s", diff)
	}
}

// TestAbstaining: a juror who steps aside from A says nothing about A. Here
// that decides the vote: counted as unranked (below B and C), the same
// ballot would close a cycle A → B → C → A and tie all three.
func TestAbstaining(t *testing.T) {
	ballots := []Ballot{{A: 1, B: 2, C: 3}, {B: 1, C: 2}, {C: 1, A: 2, B: 3}}
	got, err := ComputeAbstaining([]int64{A, B, C}, ballots, [][]int64{nil, {A}, {}})
	if err != nil {
		t.Fatal(err)
	}
	checkWant(t, got, want{
		D:       [][]int{{0, 2, 1}, {0, 0, 2}, {1, 1, 0}},
		P:       [][]int{{0, 2, 2}, {0, 0, 2}, {0, 0, 0}},
		Groups:  [][]int64{{A}, {B}, {C}},
		Steps:   []Step{{Ahead: A, Behind: B, For: 2, Against: 0}, {Ahead: B, Behind: C, For: 2, Against: 0}},
		Winners: []int64{A},
	})
	checkPaths(t, got)

	unranked, err := Compute([]int64{A, B, C}, ballots)
	if err != nil {
		t.Fatal(err)
	}
	if !unranked.Tied || len(unranked.Winners) != 3 {
		t.Errorf("with A unranked: Groups %v, Winners %v; want all three tied", unranked.Groups, unranked.Winners)
	}
}

func TestAbstainingInvalid(t *testing.T) {
	for _, tc := range []struct {
		name    string
		abstain [][]int64
		text    string
	}{
		{"too few lists", [][]int64{nil}, "1 abstention lists for 2 ballots"},
		{"unknown candidate", [][]int64{nil, {D}}, "ballot 1 abstains on unknown candidate 4"},
		{"ranked candidate", [][]int64{{B}, nil}, "ballot 0 both ranks and abstains on candidate 2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ComputeAbstaining([]int64{A, B, C}, []Ballot{{A: 1, B: 2}, {C: 1}}, tc.abstain)
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("err = %v, want ErrInvalid", err)
			}
			if !strings.Contains(err.Error(), tc.text) {
				t.Errorf("err = %q, want it to say %q", err, tc.text)
			}
		})
	}
}
