package app_test

func init() {
	authzAreas = append(authzAreas, authzArea{name: "privacy",
		// Everyone logged in has a profile and their own data to
		// download; nobody reaches another's.
		rows: func(*fixture) map[string]authzCase {
			return map[string]authzCase{
				"GET /meg":              {"/meg", "", [8]int{see, ok, ok, ok, ok, ok, ok, ok}},
				"GET /api/v1/me/export": {"/api/v1/me/export", "", [8]int{unauth, ok, ok, ok, ok, ok, ok, ok}},
			}
		}})
}
