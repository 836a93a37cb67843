package awards

import "testing"

func TestCheckOrgnr(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, orgnr, want string
	}{
		{"Oslo kommune (Enhetsregisteret)", "958935420", ""},
		{"Asker kommune (Enhetsregisteret)", "920125298", ""},
		{"check 11 gives 0", "100000040", ""},
		{"generated test number", "999990010", ""},
		{"bad check digit", "958935421", OrgnrCheckDigit},
		{"check digit would be 10, written 0", "100000130", OrgnrCheckDigit},
		{"check digit would be 10, written 1", "100000131", OrgnrCheckDigit},
		{"eight digits", "95893542", OrgnrFormat},
		{"ten digits", "9589354200", OrgnrFormat},
		{"empty", "", OrgnrFormat},
		{"letters", "95893542a", OrgnrFormat},
		{"spaces", "958 935 420", OrgnrFormat},
		{"non-ASCII digits", "٩٥٨٩٣٥٤٢٠", OrgnrFormat},
	} {
		if got := CheckOrgnr(tc.orgnr); got != tc.want {
			t.Errorf("%s: CheckOrgnr(%q) = %q, want %q", tc.name, tc.orgnr, got, tc.want)
		}
	}
}

func TestOrgKinds(t *testing.T) {
	t.Parallel()
	for _, k := range OrgKinds {
		if !k.Valid() {
			t.Errorf("%s is not valid", k)
		}
		if p, _ := k.ParentKind(); p != "" && !p.Valid() {
			t.Errorf("%s: parent kind %s is not valid", k, p)
		}
	}
	if OrgKind("parish").Valid() || KindMunicipality.Creatable() || !KindCityDistrict.Creatable() {
		t.Error("Valid/Creatable disagree with the kinds")
	}
	if p, req := KindCityDistrict.ParentKind(); p != KindMunicipality || !req {
		t.Errorf("city district's parent: %s %v", p, req)
	}
}
