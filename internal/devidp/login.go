package devidp

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"html/template"
	"net/http"
	"net/url"
	"slices"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// browserCookie binds a pending login to the browser that was shown the
// picker, so a POST replayed from elsewhere cannot complete it.
const browserCookie = "devidp_browser"

// pageCSS is served inline and allowed by its hash, so the page needs no
// extra request and no 'unsafe-inline'. Under a stricter policy the page
// still works, just unstyled.
const pageCSS = `body{font-family:system-ui,sans-serif;line-height:1.5;max-width:36rem;margin:2rem auto;padding:0 1rem}` +
	`ul{list-style:none;padding:0}li{margin:.5rem 0}` +
	`button{font:inherit;width:100%;text-align:left;padding:.75rem 1rem;cursor:pointer}` +
	`button:focus-visible{outline:3px solid;outline-offset:2px}.username{color:#555}`

var styleHash = func() string {
	sum := sha256.Sum256([]byte(pageCSS))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}()

var pageTmpl = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="nb">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} – Heder utviklings-IdP</title>
<style>` + pageCSS + `</style>
</head>
<body>
<main>
<h1>{{.Title}}</h1>
{{- if .Message}}
<p{{if .Alert}} role="alert"{{end}}>{{.Message}}</p>
{{- end}}
{{- if .Picker}}
<p>Dette er Heders utviklings-IdP. Velg hvem du vil logge inn som i <strong>{{.ClientID}}</strong>.</p>
{{- if .Users}}
<form method="post" action="{{.Action}}">
<input type="hidden" name="authRequestID" value="{{.AuthRequestID}}">
<ul>
{{- range .Users}}
<li><button type="submit" name="username" value="{{.Username}}">{{.Name}} <span class="username">({{.Username}})</span></button></li>
{{- end}}
</ul>
</form>
{{- else}}
<p>Ingen demobrukere er konfigurert.</p>
{{- end}}
{{- end}}
</main>
</body>
</html>
`))

type pageData struct {
	Title   string
	Message string
	Alert   bool

	Picker        bool
	ClientID      string
	Action        string
	AuthRequestID string
	Users         []*User
}

// handleLoginPage is where op sends the browser after storing an authorize
// request (client.LoginURL). A known login_hint signs in at once, so
// scripts and tests can log in with nothing but redirects.
func (p *Provider) handleLoginPage(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("authRequestID")
	a, ok := p.store.loginState(id)
	if !ok {
		p.messagePage(w, http.StatusBadRequest, "Innloggingen finnes ikke",
			"Innloggingsforespørselen er ukjent eller utløpt. Start innloggingen på nytt fra appen.")
		return
	}
	if a.done {
		p.messagePage(w, http.StatusBadRequest, "Innloggingen er allerede fullført",
			"Start innloggingen på nytt fra appen.")
		return
	}
	if u, ok := p.store.user(a.loginHint); ok {
		p.finishLogin(w, r, &a, u, "", false)
		return
	}
	if slices.Contains(a.prompt, oidc.PromptNone) {
		// There is no provider session to reuse, so a silent request can
		// only be answered with login_required.
		op.AuthRequestError(w, r, &a, oidc.ErrLoginRequired(), p.op)
		return
	}

	browser := p.browserID(w, r)
	if !p.store.bindBrowser(id, browser) {
		p.messagePage(w, http.StatusBadRequest, "Innloggingen ble startet i en annen nettleser",
			"Start innloggingen på nytt fra appen i denne nettleseren.")
		return
	}
	data := pageData{
		Title:         "Velg demobruker",
		Picker:        true,
		ClientID:      a.clientID,
		Action:        p.loginPage,
		AuthRequestID: id,
		Users:         p.users,
	}
	if a.loginHint != "" {
		data.Message = "Fant ingen demobruker med brukernavnet «" + a.loginHint + "»."
	}
	p.writePage(w, http.StatusOK, data)
}

// handleLoginSubmit completes a login from the picker. It is wrapped in
// http.CrossOriginProtection, and the auth request must be bound to this
// browser's devidp_browser cookie (SameSite=Lax, so not sent on
// cross-site POSTs).
func (p *Provider) handleLoginSubmit(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		p.messagePage(w, http.StatusBadRequest, "Ugyldig skjema", "Skjemaet kunne ikke leses.")
		return
	}
	id := r.PostForm.Get("authRequestID")
	a, ok := p.store.loginState(id)
	if !ok {
		p.messagePage(w, http.StatusBadRequest, "Innloggingen finnes ikke",
			"Innloggingsforespørselen er ukjent eller utløpt. Start innloggingen på nytt fra appen.")
		return
	}
	u, ok := p.store.users[r.PostForm.Get("username")]
	if !ok {
		p.messagePage(w, http.StatusBadRequest, "Ukjent demobruker", "Velg en av demobrukerne på innloggingssiden.")
		return
	}
	c, err := r.Cookie(browserCookie)
	if err != nil {
		p.messagePage(w, http.StatusForbidden, "Innloggingen ble avvist",
			"Nettleseren sendte ikke informasjonskapselen fra innloggingssiden. Start innloggingen på nytt fra appen.")
		return
	}
	p.finishLogin(w, r, &a, u, c.Value, true)
}

func (p *Provider) finishLogin(w http.ResponseWriter, r *http.Request, a *authRequest, u *User, browser string, requireBrowser bool) {
	if err := p.store.completeLogin(a.id, u, browser, requireBrowser); err != nil {
		p.log.Warn("devidp: login refused", "client_id", a.clientID, "user", u.Username, "error", err)
		p.messagePage(w, http.StatusForbidden, "Innloggingen ble avvist",
			"Innloggingen er allerede fullført eller ble startet i en annen nettleser. Start innloggingen på nytt fra appen.")
		return
	}
	p.log.Info("devidp: demo user signed in", "client_id", a.clientID, "user", u.Username)
	// op's callback turns the finished auth request into a code and
	// redirects to the client.
	callback := p.op.AuthorizationEndpoint().Absolute(p.issuer) + "/callback?id=" + url.QueryEscape(a.id)
	status := http.StatusFound
	if r.Method == http.MethodPost {
		status = http.StatusSeeOther
	}
	http.Redirect(w, r, callback, status)
}

func (p *Provider) handleLoggedOut(w http.ResponseWriter, _ *http.Request) {
	p.messagePage(w, http.StatusOK, "Du er logget ut", "Du er logget ut av Heders utviklings-IdP.")
}

// browserID returns this browser's binding value, setting the cookie on
// first use.
func (p *Provider) browserID(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(browserCookie); err == nil && len(c.Value) == 22 {
		return c.Value
	}
	v, err := randomID()
	if err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	http.SetCookie(w, &http.Cookie{
		Name:     browserCookie,
		Value:    v,
		Path:     loginPath,
		HttpOnly: true,
		Secure:   p.secure,
		SameSite: http.SameSiteLaxMode,
	})
	return v
}

func (p *Provider) messagePage(w http.ResponseWriter, status int, title, message string) {
	p.writePage(w, status, pageData{Title: title, Message: message, Alert: status >= 400})
}

// writePage renders into a buffer first so a template error still yields
// a clean 500 instead of half a page.
func (p *Provider) writePage(w http.ResponseWriter, status int, data pageData) {
	var buf bytes.Buffer
	if err := pageTmpl.Execute(&buf, data); err != nil {
		p.log.Error("devidp: render page", "error", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src "+styleHash+
		"; base-uri 'none'; frame-ancestors 'none'; "+p.formCSP)
	h.Set("X-Content-Type-Options", "nosniff")
	// The login URL carries the auth request ID; keep it out of the
	// client's logs.
	h.Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}
