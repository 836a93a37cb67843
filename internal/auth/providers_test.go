package auth

import "testing"

func TestACRAtLeast(t *testing.T) {
	t.Parallel()
	p := Provider{MinACR: "idporten-loa-substantial"}
	for acr, want := range map[string]bool{"idporten-loa-low": false, "idporten-loa-substantial": true, "idporten-loa-high": true, "": false, "Level4": false} {
		if got := p.ACRAtLeast(acr); got != want {
			t.Errorf("ACRAtLeast(%q) = %v, want %v", acr, got, want)
		}
	}
	if !(Provider{}).ACRAtLeast("") {
		t.Error("no minimum must accept anything")
	}
}

func TestParseAdmins(t *testing.T) {
	t.Parallel()
	got, err := ParseAdmins("https://idp.example|abc, email:Ola@KMD.dep.no")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Subject != "abc" || got[1].Email != "ola@kmd.dep.no" {
		t.Fatalf("got %+v", got)
	}
}
