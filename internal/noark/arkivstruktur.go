package noark

import (
	"encoding/xml"
	"time"
)

// The elements of arkivstruktur.xml in the order arkivstruktur.xsd
// (Noark 5 v5.0) has them; optional ones are omitted when empty. Codes are
// written as the standard asks, as self-explanatory text ("Inngående
// dokument"), not as codes.

const (
	nsArkivstruktur = "http://www.arkivverket.no/standarder/noark5/arkivstruktur"
	nsXSI           = "http://www.w3.org/2001/XMLSchema-instance"
	// createdBy is who made the archive units: the system.
	createdBy = "Heder"
)

type arkiv struct {
	XMLName        xml.Name `xml:"arkiv"`
	XMLNS          string   `xml:"xmlns,attr"`
	XSI            string   `xml:"xmlns:xsi,attr"`
	SchemaLocation string   `xml:"xsi:schemaLocation,attr"`
	SystemID       string   `xml:"systemID"`
	Tittel         string   `xml:"tittel"`
	Beskrivelse    string   `xml:"beskrivelse,omitempty"`
	Arkivstatus    string   `xml:"arkivstatus"`
	OpprettetDato  dateTime `xml:"opprettetDato"`
	OpprettetAv    string   `xml:"opprettetAv"`
	AvsluttetDato  dateTime `xml:"avsluttetDato"`
	AvsluttetAv    string   `xml:"avsluttetAv"`
	Arkivskaper    arkivskaper
	Arkivdel       arkivdel
}

type arkivskaper struct {
	XMLName         xml.Name `xml:"arkivskaper"`
	ArkivskaperID   string   `xml:"arkivskaperID"`
	ArkivskaperNavn string   `xml:"arkivskaperNavn"`
}

type arkivdel struct {
	XMLName               xml.Name `xml:"arkivdel"`
	SystemID              string   `xml:"systemID"`
	Tittel                string   `xml:"tittel"`
	Arkivdelstatus        string   `xml:"arkivdelstatus"`
	OpprettetDato         dateTime `xml:"opprettetDato"`
	OpprettetAv           string   `xml:"opprettetAv"`
	AvsluttetDato         dateTime `xml:"avsluttetDato"`
	AvsluttetAv           string   `xml:"avsluttetAv"`
	ArkivperiodeStartDato date     `xml:"arkivperiodeStartDato"`
	ArkivperiodeSluttDato date     `xml:"arkivperiodeSluttDato"`
	Klassifikasjonssystem klassifikasjonssystem
}

type klassifikasjonssystem struct {
	XMLName             xml.Name `xml:"klassifikasjonssystem"`
	SystemID            string   `xml:"systemID"`
	Klassifikasjonstype string   `xml:"klassifikasjonstype"`
	Tittel              string   `xml:"tittel"`
	OpprettetDato       dateTime `xml:"opprettetDato"`
	OpprettetAv         string   `xml:"opprettetAv"`
	Klasse              klasse
}

type klasse struct {
	XMLName       xml.Name `xml:"klasse"`
	SystemID      string   `xml:"systemID"`
	KlasseID      string   `xml:"klasseID"`
	Tittel        string   `xml:"tittel"`
	OpprettetDato dateTime `xml:"opprettetDato"`
	OpprettetAv   string   `xml:"opprettetAv"`
	Mapper        []saksmappe
}

// saksmappe is a mappe of xsi:type saksmappe: the mappe's elements, then
// the saksmappe's.
type saksmappe struct {
	XMLName            xml.Name `xml:"mappe"`
	Type               string   `xml:"xsi:type,attr"`
	SystemID           string   `xml:"systemID"`
	MappeID            string   `xml:"mappeID"`
	Tittel             string   `xml:"tittel"`
	OffentligTittel    string   `xml:"offentligTittel,omitempty"`
	Beskrivelse        string   `xml:"beskrivelse,omitempty"`
	OpprettetDato      dateTime `xml:"opprettetDato"`
	OpprettetAv        string   `xml:"opprettetAv"`
	AvsluttetDato      dateTime `xml:"avsluttetDato"`
	AvsluttetAv        string   `xml:"avsluttetAv"`
	Registreringer     []journalpost
	Saksaar            int    `xml:"saksaar"`
	Sakssekvensnummer  int    `xml:"sakssekvensnummer"`
	Saksdato           date   `xml:"saksdato"`
	AdministrativEnhet string `xml:"administrativEnhet"`
	Saksansvarlig      string `xml:"saksansvarlig"`
	Saksstatus         string `xml:"saksstatus"`
}

// journalpost is a registrering of xsi:type journalpost.
type journalpost struct {
	XMLName              xml.Name `xml:"registrering"`
	Type                 string   `xml:"xsi:type,attr"`
	SystemID             string   `xml:"systemID"`
	OpprettetDato        dateTime `xml:"opprettetDato"`
	OpprettetAv          string   `xml:"opprettetAv"`
	ArkivertDato         dateTime `xml:"arkivertDato"`
	ArkivertAv           string   `xml:"arkivertAv"`
	Skjerming            *skjerming
	Dokumenter           []dokumentbeskrivelse
	Tittel               string `xml:"tittel"`
	OffentligTittel      string `xml:"offentligTittel,omitempty"`
	Korrespondanseparter []korrespondansepart
	Journalaar           int       `xml:"journalaar"`
	Journalsekvensnummer int       `xml:"journalsekvensnummer"`
	Journalpostnummer    int       `xml:"journalpostnummer"`
	Journalposttype      string    `xml:"journalposttype"`
	Journalstatus        string    `xml:"journalstatus"`
	Journaldato          date      `xml:"journaldato"`
	DokumentetsDato      *date     `xml:"dokumentetsDato,omitempty"`
	MottattDato          *dateTime `xml:"mottattDato,omitempty"`
	SendtDato            *dateTime `xml:"sendtDato,omitempty"`
	AntallVedlegg        int       `xml:"antallVedlegg"`
}

type korrespondansepart struct {
	XMLName                xml.Name `xml:"korrespondansepart"`
	Korrespondanseparttype string   `xml:"korrespondanseparttype"`
	KorrespondansepartNavn string   `xml:"korrespondansepartNavn"`
	Epostadresse           string   `xml:"epostadresse,omitempty"`
	Telefonnummer          string   `xml:"telefonnummer,omitempty"`
	Kontaktperson          string   `xml:"kontaktperson,omitempty"`
}

type skjerming struct {
	XMLName             xml.Name `xml:"skjerming"`
	Tilgangsrestriksjon string   `xml:"tilgangsrestriksjon"`
	Skjermingshjemmel   string   `xml:"skjermingshjemmel"`
	SkjermingMetadata   string   `xml:"skjermingMetadata"`
	SkjermingDokument   string   `xml:"skjermingDokument"`
}

type dokumentbeskrivelse struct {
	XMLName                   xml.Name `xml:"dokumentbeskrivelse"`
	SystemID                  string   `xml:"systemID"`
	Dokumenttype              string   `xml:"dokumenttype"`
	Dokumentstatus            string   `xml:"dokumentstatus"`
	Tittel                    string   `xml:"tittel"`
	OpprettetDato             dateTime `xml:"opprettetDato"`
	OpprettetAv               string   `xml:"opprettetAv"`
	TilknyttetRegistreringSom string   `xml:"tilknyttetRegistreringSom"`
	Dokumentnummer            int      `xml:"dokumentnummer"`
	TilknyttetDato            dateTime `xml:"tilknyttetDato"`
	TilknyttetAv              string   `xml:"tilknyttetAv"`
	Skjerming                 *skjerming
	Dokumentobjekt            dokumentobjekt
}

type dokumentobjekt struct {
	XMLName              xml.Name `xml:"dokumentobjekt"`
	SystemID             string   `xml:"systemID"`
	Versjonsnummer       int      `xml:"versjonsnummer"`
	Variantformat        string   `xml:"variantformat"`
	Format               string   `xml:"format"`
	FormatDetaljer       string   `xml:"formatDetaljer,omitempty"`
	OpprettetDato        dateTime `xml:"opprettetDato"`
	OpprettetAv          string   `xml:"opprettetAv"`
	ReferanseDokumentfil string   `xml:"referanseDokumentfil"`
	Sjekksum             string   `xml:"sjekksum"`
	SjekksumAlgoritme    string   `xml:"sjekksumAlgoritme"`
	Filstoerrelse        int64    `xml:"filstoerrelse"`
}

// dateTime and date write times as xs:dateTime and xs:date, in Norway's
// time zone, where the owner's archive reads them.
type dateTime time.Time

func (t dateTime) MarshalText() ([]byte, error) {
	return []byte(time.Time(t).In(oslo).Format(time.RFC3339)), nil
}

type date time.Time

func (t date) MarshalText() ([]byte, error) {
	return []byte(time.Time(t).In(oslo).Format(time.DateOnly)), nil
}

var oslo = func() *time.Location {
	l, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		return time.UTC
	}
	return l
}()
