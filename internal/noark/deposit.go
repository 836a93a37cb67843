package noark

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/heder-awards/heder/internal/files"
	"github.com/heder-awards/heder/internal/pdfdoc"
	"github.com/heder-awards/heder/internal/spreadsheet"
)

// Offentleglova § 14 (organinterne dokument) screens the jury's papers:
// scores, comments, discussion and ranking.
var juryScreening = &skjerming{Tilgangsrestriksjon: "Unntatt offentlighet", Skjermingshjemmel: "offl. § 14",
	SkjermingMetadata: "Ingen skjerming av metadata", SkjermingDokument: "Skjerming av hele dokumentet"}

// document is one file of the deposit: made by Heder (body) or an
// attachment read from the file store (key).
type document struct {
	path, title, format, mime string
	body                      []byte
	key, sha256               string
	size                      int64
	created                   time.Time
	screened                  bool
	// pdf: Heder's text, written as a PDF.
	pdf bool
	// main: the registrering's main document (Hoveddokument), else an
	// attachment to it (Vedlegg).
	main bool
}

// asPDF writes one of Heder's texts (see text) as a PDF, its first line
// the heading.
func asPDF(body []byte, created time.Time) ([]byte, error) {
	title, rest, _ := strings.Cut(string(body), "\n")
	_, rest, _ = strings.Cut(rest, "\n") // the underline
	d, err := pdfdoc.New(pdfdoc.Portrait, pdfdoc.Meta{Title: title, Author: createdBy, Lang: "nb", Created: created})
	if err != nil {
		return nil, err
	}
	d.SetMargins(20, 20, 20)
	d.AddPage()
	d.Heading(title, 1, 0)
	d.Text(strings.TrimSpace(rest), 10.5, "")
	var b bytes.Buffer
	if err := d.Write(&b); err != nil {
		return nil, fmt.Errorf("nomination PDF: %w", err)
	}
	return b.Bytes(), nil
}

// entry is one journalpost as the deposit builds it.
type entry struct {
	title, kind string // journalposttype
	at          time.Time
	in, out     bool // mottattDato, sendtDato
	parties     []korrespondansepart
	docs        []document
	screened    bool
}

// Name is the deposit's file name, e.g.
// "noark5-kommunal-innovasjonspris-2017-04c5e6dd.tar".
func (d Deposit) Name() string {
	return spreadsheet.FileName("tar", "noark5", d.Cycle.AwardName, strconv.Itoa(d.Cycle.Year), d.Cycle.PublicID[:8])
}

// id is an archive unit's systemID: the same unit gets the same ID in every
// deposit of the cycle, so that a second delivery can be matched to the
// first.
func (d Deposit) id(path string) string {
	return uuid.NewSHA1(uuid.NameSpaceURL, []byte("urn:heder:noark5:"+d.Cycle.PublicID+":"+path)).String()
}

// Progress is told how many of the deposit's documents are written, of
// how many: once with none before the first, then after each.
type Progress func(done, total int)

// Write writes the deposit as a tar file to w, reading attachments from
// store. The documents come first, then arkivstruktur.xml and
// endringslogg.xml, then arkivuttrekk.xml with every file's checksum.
// progress, when not nil, follows the documents.
func (d Deposit) Write(ctx context.Context, w io.Writer, store files.Store, now time.Time, progress Progress) error {
	folders := d.folders()
	total := 0
	for _, f := range folders {
		for _, e := range f.entries {
			total += len(e.docs)
		}
	}
	if progress == nil {
		progress = func(int, int) {}
	}
	progress(0, total)
	tw := tar.NewWriter(w)
	var listed []listedFile
	done := 0
	for i := range folders {
		for j := range folders[i].entries {
			for k := range folders[i].entries[j].docs {
				doc := &folders[i].entries[j].docs[k]
				if err := doc.make(); err != nil {
					return err
				}
				if err := d.writeDocument(ctx, tw, store, *doc); err != nil {
					return err
				}
				// Written: only its size and checksum are needed further on.
				doc.body = nil
				listed = append(listed, listedFile{doc.path, doc.sha256, doc.size})
				done++
				progress(done, total)
			}
		}
	}
	structure, err := d.arkivstruktur(folders, now)
	if err != nil {
		return err
	}
	log, err := d.endringslogg(folders)
	if err != nil {
		return err
	}
	for _, f := range []struct {
		name string
		body []byte
	}{{"arkivstruktur.xml", structure}, {"endringslogg.xml", log}} {
		if err := writeFile(tw, f.name, f.body, now); err != nil {
			return err
		}
		sum := sha256.Sum256(f.body)
		listed = append(listed, listedFile{f.name, hex.EncodeToString(sum[:]), int64(len(f.body))})
	}
	addml, err := d.addml(listed, now)
	if err != nil {
		return err
	}
	if err := writeFile(tw, "arkivuttrekk.xml", addml, now); err != nil {
		return err
	}
	return tw.Close()
}

func writeFile(tw *tar.Writer, name string, body []byte, at time.Time) error {
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(body)), ModTime: at, Format: tar.FormatPAX}); err != nil {
		return fmt.Errorf("deposit %s: %w", name, err)
	}
	if _, err := tw.Write(body); err != nil {
		return fmt.Errorf("deposit %s: %w", name, err)
	}
	return nil
}

func (d Deposit) writeDocument(ctx context.Context, tw *tar.Writer, store files.Store, doc document) error {
	if doc.key == "" {
		return writeFile(tw, doc.path, doc.body, doc.created)
	}
	r, err := store.Open(ctx, doc.key)
	if err != nil {
		return fmt.Errorf("deposit %s: open attachment: %w", doc.path, err)
	}
	defer r.Close()
	if err := tw.WriteHeader(&tar.Header{Name: doc.path, Mode: 0o644, Size: doc.size, ModTime: doc.created, Format: tar.FormatPAX}); err != nil {
		return fmt.Errorf("deposit %s: %w", doc.path, err)
	}
	if _, err := io.Copy(tw, r); err != nil {
		return fmt.Errorf("deposit %s: %w", doc.path, err)
	}
	return nil
}

// folder is one saksmappe with its journalposter.
type folder struct {
	key, title, public string
	opened, closed     time.Time
	entries            []entry
}

// folders lays out the cases: the cycle's own first, then one per
// nomination in the order they came in.
func (d Deposit) folders() []folder {
	c := d.Cycle
	own := folder{key: "cycle", title: fmt.Sprintf("%s %d", c.AwardName, c.Year), opened: c.CreatedAt, closed: c.PublishedAt}
	call := text("Utlysning: "+c.Title, c.CallText, nynorsk(c.CallTextNN))
	own.entries = append(own.entries, entry{title: "Utlysning: " + c.Title, kind: "Utgående dokument", at: c.CallOpensAt, out: true,
		parties: []korrespondansepart{{Korrespondanseparttype: "Mottaker", KorrespondansepartNavn: "Kommunene (offentlig utlysning)"}},
		docs:    []document{{title: "Utlysning", body: call, main: true, created: c.CallOpensAt}}})
	if len(c.Jurors) > 0 {
		var b strings.Builder
		seated := c.Jurors[0].Seated
		for _, j := range c.Jurors {
			role := "jurymedlem"
			if j.Chair {
				role = "juryleder"
			}
			fmt.Fprintf(&b, "%s, %s\n", j.Name, role)
			if j.Seated.Before(seated) {
				seated = j.Seated
			}
		}
		own.entries = append(own.entries, entry{title: "Oppnevning av jury", kind: "Organinternt dokument uten oppfølging", at: seated,
			docs: []document{{title: "Juryens medlemmer", body: text("Juryen for "+c.Title, b.String()), main: true, created: seated}}})
	}
	var decided strings.Builder
	var decidedAt time.Time
	for _, n := range d.Nominations {
		if n.Outcome == "" || n.DecidedAt == nil {
			continue
		}
		fmt.Fprintf(&decided, "%s: %s (%s)\n", outcomeName(n.Outcome), n.Title, nomineeNames(n))
		if n.Statement != "" {
			fmt.Fprintf(&decided, "Juryens begrunnelse: %s\n", n.Statement)
		}
		decided.WriteString("\n")
		if n.DecidedAt.After(decidedAt) {
			decidedAt = *n.DecidedAt
		}
	}
	if decided.Len() > 0 {
		own.entries = append(own.entries, entry{title: "Juryens vedtak", kind: "Organinternt dokument uten oppfølging", at: decidedAt,
			docs: []document{{title: "Vedtak: vinnere og finalister", body: text("Juryens vedtak i "+c.Title, decided.String()), main: true, created: decidedAt}}})
		var ranking strings.Builder
		for _, n := range d.Nominations {
			fmt.Fprintf(&ranking, "%s (%s): %s\n", n.Title, nomineeNames(n), statusName(n))
		}
		own.entries = append(own.entries, entry{title: "Juryens rangering og vurderinger", kind: "Organinternt dokument uten oppfølging", at: decidedAt,
			screened: true, docs: []document{{title: "Rangering", body: text("Juryens arbeidsdokument for "+c.Title, ranking.String()), main: true,
				created: decidedAt, screened: true}}})
	}
	for _, a := range c.Announcements {
		own.entries = append(own.entries, entry{title: "Kunngjøring av " + announcementName(a.Kind), kind: "Utgående dokument", at: a.PublishAt, out: true,
			parties: []korrespondansepart{{Korrespondanseparttype: "Mottaker", KorrespondansepartNavn: "Offentligheten"}},
			docs: []document{{title: "Kunngjøring", main: true, created: a.PublishAt,
				body: text("Kunngjøring av "+announcementName(a.Kind)+" i "+c.Title, "Publisert "+time.Time(a.PublishAt).In(oslo).Format("2.1.2006 15.04"))}}})
	}
	out := []folder{own}
	for _, n := range d.Nominations {
		out = append(out, d.nominationFolder(n))
	}
	// Paths: dokumenter/<case>-<entry>-<document>.<ext>.
	for i := range out {
		for j := range out[i].entries {
			for k := range out[i].entries[j].docs {
				doc := &out[i].entries[j].docs[k]
				switch {
				case doc.pdf:
					doc.format, doc.mime = "RA-PDF", "application/pdf"
				case doc.key == "":
					doc.format, doc.mime = "RA-TEKST", "text/plain; charset=utf-8"
				}
				doc.path = fmt.Sprintf("dokumenter/%d-%d-%d%s", i+1, j+1, k+1, extension(doc.mime))
			}
		}
	}
	return out
}

// make makes one of Heder's documents as it is written, not all of them
// first, so that progress moves and only one PDF is in memory at a time:
// a text as a PDF where it is one, with its size and checksum.
func (doc *document) make() error {
	if doc.key != "" {
		return nil
	}
	if doc.pdf {
		body, err := asPDF(doc.body, doc.created)
		if err != nil {
			return err
		}
		doc.body = body
	}
	sum := sha256.Sum256(doc.body)
	doc.sha256, doc.size = hex.EncodeToString(sum[:]), int64(len(doc.body))
	return nil
}

func (d Deposit) nominationFolder(n Nomination) folder {
	f := folder{key: "nomination/" + n.PublicID, title: "Nominasjon: " + n.Title, opened: n.SubmittedAt, closed: d.Cycle.PublishedAt}
	var senders, receivers []korrespondansepart
	for i, o := range n.Nominees {
		p := korrespondansepart{Korrespondanseparttype: "Avsender", KorrespondansepartNavn: o.Name}
		if i == 0 {
			p.Kontaktperson, p.Epostadresse, p.Telefonnummer = n.ContactName, n.ContactEmail, n.ContactPhone
		}
		senders = append(senders, p)
		receivers = append(receivers, korrespondansepart{Korrespondanseparttype: "Mottaker", KorrespondansepartNavn: o.Name})
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Nominert: %s\nInnsendt: %s\n", nomineeNames(n), n.SubmittedAt.In(oslo).Format("2.1.2006 15.04"))
	if n.ContactName != "" {
		fmt.Fprintf(&b, "Kontaktperson: %s %s %s\n", n.ContactName, n.ContactEmail, n.ContactPhone)
	}
	fmt.Fprintf(&b, "\n%s\n", n.Summary)
	for _, p := range n.Projects {
		fmt.Fprintf(&b, "\nProsjekt: %s\n%s\n", p.Title, strings.TrimSpace(strings.Join([]string{p.Description, p.Results, p.Partners}, "\n\n")))
	}
	received := entry{title: "Nominasjon: " + n.Title, kind: "Inngående dokument", at: n.SubmittedAt, in: true, parties: senders,
		docs: []document{{title: "Nominasjon", body: text("Nominasjon: "+n.Title, b.String()), main: true, created: n.SubmittedAt, pdf: true}}}
	for _, file := range n.Files {
		received.docs = append(received.docs, document{title: file.Filename, key: file.StorageKey, sha256: file.SHA256, size: file.Size,
			mime: file.ContentType, format: formatOf(file.ContentType), created: file.CreatedAt})
	}
	f.entries = append(f.entries, received)
	if n.ReceiptSent != nil {
		f.entries = append(f.entries, entry{title: "Kvittering for mottatt nominasjon", kind: "Utgående dokument", at: *n.ReceiptSent, out: true,
			parties: receivers, docs: []document{{title: "Kvittering", main: true, created: *n.ReceiptSent,
				body: text("Kvittering: "+n.Title, "Nominasjonen ble mottatt "+n.SubmittedAt.In(oslo).Format("2.1.2006 15.04")+".")}}})
	}
	if n.IneligibleSent != nil {
		f.entries = append(f.entries, entry{title: "Melding om at nominasjonen ikke oppfyller kravene", kind: "Utgående dokument", at: *n.IneligibleSent,
			out: true, parties: receivers, docs: []document{{title: "Melding", main: true, created: *n.IneligibleSent,
				body: text("Nominasjonen oppfyller ikke kravene: "+n.Title, "Begrunnelse: "+n.IneligibleReason)}}})
	}
	if len(n.Scores)+len(n.Comments) > 0 {
		var j strings.Builder
		for _, s := range n.Scores {
			value := "–"
			if s.Value != nil {
				value = strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.2f", *s.Value), "0"), ".")
			}
			fmt.Fprintf(&j, "%s, %s: %s", s.Juror, s.Criterion, value)
			if s.Comment != "" {
				fmt.Fprintf(&j, " – %s", s.Comment)
			}
			if s.Excluded != "" {
				fmt.Fprintf(&j, " (holdt utenfor: %s)", s.Excluded)
			}
			j.WriteString("\n")
		}
		for _, c := range n.Comments {
			fmt.Fprintf(&j, "\n%s, %s:\n%s\n", c.Juror, c.At.In(oslo).Format("2.1.2006 15.04"), c.Body)
		}
		at := d.Cycle.PublishedAt
		if n.DecidedAt != nil {
			at = *n.DecidedAt
		}
		f.entries = append(f.entries, entry{title: "Juryens vurdering", kind: "Organinternt dokument uten oppfølging", at: at, screened: true,
			docs: []document{{title: "Juryens vurdering", main: true, created: at, screened: true,
				body: text("Juryens vurdering av "+n.Title, j.String())}}})
	}
	if n.ResultSent != nil {
		body := "Resultat: " + statusName(n) + "\n"
		if n.Statement != "" {
			body += "\nJuryens begrunnelse: " + n.Statement + "\n"
		}
		if n.Feedback != "" {
			body += "\nTilbakemelding fra juryen:\n" + n.Feedback + "\n"
		}
		f.entries = append(f.entries, entry{title: "Melding om resultat", kind: "Utgående dokument", at: *n.ResultSent, out: true,
			parties: receivers, docs: []document{{title: "Resultatbrev", main: true, created: *n.ResultSent, body: text("Resultat: "+n.Title, body)}}})
	}
	return f
}

// text is a plain text document: a title line, then paragraphs.
func text(title string, parts ...string) []byte {
	var b bytes.Buffer
	b.WriteString(title + "\n" + strings.Repeat("=", len([]rune(title))) + "\n")
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			b.WriteString("\n" + p + "\n")
		}
	}
	return b.Bytes()
}

func nynorsk(s string) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	return "Nynorsk:\n" + s
}

func nomineeNames(n Nomination) string {
	var names []string
	for _, o := range n.Nominees {
		names = append(names, o.Name)
	}
	return strings.Join(names, ", ")
}

func outcomeName(o string) string {
	switch o {
	case "winner":
		return "Vinner"
	case "honourable_mention":
		return "Hederlig omtale"
	default:
		return "Finalist"
	}
}

func statusName(n Nomination) string {
	if n.Outcome != "" {
		return outcomeName(n.Outcome)
	}
	switch n.Status {
	case "ineligible":
		return "Oppfylte ikke kravene"
	case "withdrawn":
		return "Trukket"
	default:
		return "Vurdert, ikke blant finalistene"
	}
}

func announcementName(kind string) string {
	if kind == "finalists" {
		return "finalistene"
	}
	return "vinnerne"
}

// formatOf names an attachment's format as Noark 5 does where it has a
// name for it, else by its media type.
func formatOf(mime string) string {
	switch mime {
	case "application/pdf":
		return "RA-PDF"
	case "image/jpeg":
		return "RA-JPEG"
	case "image/png":
		return "RA-PNG"
	}
	return mime
}

func extension(mime string) string {
	switch {
	case mime == "application/pdf":
		return ".pdf"
	case mime == "image/jpeg":
		return ".jpg"
	case mime == "image/png":
		return ".png"
	case mime == "image/webp":
		return ".webp"
	case strings.HasPrefix(mime, "text/plain"):
		return ".txt"
	}
	return ""
}

// arkivstruktur is arkivstruktur.xml.
func (d Deposit) arkivstruktur(folders []folder, now time.Time) ([]byte, error) {
	c := d.Cycle
	owner := c.Owner
	if owner == "" {
		owner = "Heder"
	}
	a := arkiv{XMLNS: nsArkivstruktur, XSI: nsXSI, SchemaLocation: nsArkivstruktur + " arkivstruktur.xsd",
		SystemID: d.id("arkiv"), Tittel: c.AwardName, Beskrivelse: "Arkivuttrekk fra Heder av " + c.Title, Arkivstatus: "Avsluttet",
		OpprettetDato: dateTime(c.CreatedAt), OpprettetAv: createdBy, AvsluttetDato: dateTime(now), AvsluttetAv: createdBy,
		Arkivskaper: arkivskaper{ArkivskaperID: owner, ArkivskaperNavn: owner}}
	a.Arkivdel = arkivdel{SystemID: d.id("arkivdel"), Tittel: c.Title, Arkivdelstatus: "Avsluttet periode",
		OpprettetDato: dateTime(c.CreatedAt), OpprettetAv: createdBy, AvsluttetDato: dateTime(now), AvsluttetAv: createdBy,
		ArkivperiodeStartDato: date(c.CreatedAt), ArkivperiodeSluttDato: date(c.PublishedAt),
		Klassifikasjonssystem: klassifikasjonssystem{SystemID: d.id("klassifikasjonssystem"), Klassifikasjonstype: "Emnebasert klassifikasjon",
			Tittel: "Heder", OpprettetDato: dateTime(c.CreatedAt), OpprettetAv: createdBy,
			Klasse: klasse{SystemID: d.id("klasse"), KlasseID: fmt.Sprintf("%d", c.Year), Tittel: c.Title,
				OpprettetDato: dateTime(c.CreatedAt), OpprettetAv: createdBy}}}
	seq := 0
	for i, f := range folders {
		m := saksmappe{Type: "saksmappe", SystemID: d.id(f.key), MappeID: fmt.Sprintf("%d/%d", c.Year, i+1), Tittel: f.title,
			OpprettetDato: dateTime(f.opened), OpprettetAv: createdBy, AvsluttetDato: dateTime(f.closed), AvsluttetAv: createdBy,
			Saksaar: c.Year, Sakssekvensnummer: i + 1, Saksdato: date(f.opened), AdministrativEnhet: owner, Saksansvarlig: createdBy,
			Saksstatus: "Avsluttet"}
		for j, e := range f.entries {
			seq++
			jp := journalpost{Type: "journalpost", SystemID: d.id(fmt.Sprintf("%s/%d", f.key, j+1)),
				OpprettetDato: dateTime(e.at), OpprettetAv: createdBy, ArkivertDato: dateTime(now), ArkivertAv: createdBy,
				Tittel: e.title, Korrespondanseparter: e.parties, Journalaar: e.at.In(oslo).Year(), Journalsekvensnummer: seq,
				Journalpostnummer: j + 1, Journalposttype: e.kind, Journalstatus: "Arkivert", Journaldato: date(e.at)}
			if e.screened {
				jp.Skjerming = juryScreening
			}
			docDate := date(e.at)
			jp.DokumentetsDato = &docDate
			at := dateTime(e.at)
			if e.in {
				jp.MottattDato = &at
			}
			if e.out {
				jp.SendtDato = &at
			}
			for k, doc := range e.docs {
				role := "Hoveddokument"
				if !doc.main {
					role = "Vedlegg"
					jp.AntallVedlegg++
				}
				db := dokumentbeskrivelse{SystemID: d.id(fmt.Sprintf("%s/%d/%d", f.key, j+1, k+1)), Dokumenttype: documentType(e, doc),
					Dokumentstatus: "Dokumentet er ferdigstilt", Tittel: doc.title, OpprettetDato: dateTime(doc.created), OpprettetAv: createdBy,
					TilknyttetRegistreringSom: role, Dokumentnummer: k + 1, TilknyttetDato: dateTime(e.at), TilknyttetAv: createdBy,
					Dokumentobjekt: dokumentobjekt{SystemID: d.id(fmt.Sprintf("%s/%d/%d/1", f.key, j+1, k+1)), Versjonsnummer: 1,
						Variantformat: "Arkivformat", Format: doc.format, FormatDetaljer: doc.mime, OpprettetDato: dateTime(doc.created),
						OpprettetAv: createdBy, ReferanseDokumentfil: doc.path, Sjekksum: doc.sha256, SjekksumAlgoritme: "SHA256",
						Filstoerrelse: doc.size}}
				if doc.screened {
					db.Skjerming = juryScreening
				}
				jp.Dokumenter = append(jp.Dokumenter, db)
			}
			m.Registreringer = append(m.Registreringer, jp)
		}
		a.Arkivdel.Klassifikasjonssystem.Klasse.Mapper = append(a.Arkivdel.Klassifikasjonssystem.Klasse.Mapper, m)
	}
	return marshal(a)
}

func documentType(e entry, doc document) string {
	switch {
	case !doc.main:
		return "Vedlegg"
	case e.in:
		return "Nominasjon"
	case e.screened:
		return "Arbeidsdokument"
	case e.out:
		return "Brev"
	}
	return "Notat"
}

func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("deposit xml: %w", err)
	}
	b.WriteString("\n")
	return b.Bytes(), nil
}
