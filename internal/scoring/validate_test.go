package scoring

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/heder-awards/heder/internal/awards"
)

func TestOnScale(t *testing.T) {
	t.Parallel()
	oneToFive := awards.Criterion{ScaleMin: 1, ScaleMax: 5, ScaleStep: 1}
	halves := awards.Criterion{ScaleMin: 0, ScaleMax: 10, ScaleStep: 0.5}
	odd := awards.Criterion{ScaleMin: -1.5, ScaleMax: 1.5, ScaleStep: 0.75}
	hundredths := awards.Criterion{ScaleMin: 0, ScaleMax: 1, ScaleStep: 0.01}
	tests := []struct {
		name string
		cr   awards.Criterion
		v    float64
		want float64
		key  string
	}{
		{"min", oneToFive, 1, 1, ""},
		{"max", oneToFive, 5, 5, ""},
		{"inside", oneToFive, 3, 3, ""},
		{"below", oneToFive, 0.99, 0, keyScale},
		{"above", oneToFive, 5.0001, 0, keyScale},
		{"off step", oneToFive, 2.5, 0, keyStep},
		{"noise below a point", oneToFive, 2.9999999999, 3, ""},
		{"noise above a point", oneToFive, 3.0000000001, 3, ""},
		{"noise above max", oneToFive, 5.0000000001, 5, ""},
		{"half", halves, 7.5, 7.5, ""},
		{"a sum with noise", halves, 0.1 + 0.2 + 7.2, 7.5, ""},
		{"quarter", halves, 7.25, 0, keyStep},
		{"negative scale", odd, -0.75, -0.75, ""},
		{"negative scale off step", odd, -0.5, 0, keyStep},
		{"hundredths", hundredths, 0.07, 0.07, ""},
		{"thousandths", hundredths, 0.075, 0, keyStep},
		{"NaN", oneToFive, math.NaN(), 0, keyNumber},
		{"infinity", oneToFive, math.Inf(-1), 0, keyNumber},
	}
	for _, tt := range tests {
		got, key := onScale(tt.v, tt.cr)
		if key != tt.key || key == "" && got != tt.want {
			t.Errorf("%s: onScale(%v) = %v, %q; want %v, %q", tt.name, tt.v, got, key, tt.want, tt.key)
		}
	}
}

func TestPoints(t *testing.T) {
	t.Parallel()
	if diff := cmp.Diff([]float64{1, 2, 3, 4, 5}, Points(awards.Criterion{ScaleMin: 1, ScaleMax: 5, ScaleStep: 1})); diff != "" {
		t.Error(diff)
	}
	if diff := cmp.Diff([]float64{0, 0.5, 1, 1.5, 2}, Points(awards.Criterion{ScaleMin: 0, ScaleMax: 2, ScaleStep: 0.5})); diff != "" {
		t.Error(diff)
	}
	if n := len(Points(awards.Criterion{ScaleMin: 0, ScaleMax: 1, ScaleStep: 0.01})); n != 101 {
		t.Errorf("0–1 by hundredths: %d points", n)
	}
}

func TestParseValue(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in   string
		want *float64
		key  string
	}{
		{"", nil, ""},
		{"  ", nil, ""},
		{"4", ptr(4), ""},
		{" 7,5 ", ptr(7.5), ""},
		{"7.5", ptr(7.5), ""},
		{"NaN", nil, keyNumber},
		{"Inf", nil, keyNumber},
		{"-Infinity", nil, keyNumber},
		{"fire", nil, keyNumber},
		{"1e400", nil, keyNumber},
		{"1,2,3", nil, keyNumber},
	} {
		got, key := ParseValue(tt.in)
		if key != tt.key || !cmp.Equal(got, tt.want) {
			t.Errorf("ParseValue(%q) = %v, %q; want %v, %q", tt.in, got, key, tt.want, tt.key)
		}
	}
}

func ptr(x float64) *float64 { return &x }
