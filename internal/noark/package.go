package noark

import (
	"encoding/xml"
	"fmt"
	"time"
)

// listedFile is a file of the deposit as arkivuttrekk.xml lists it.
type listedFile struct {
	name, sha256 string
	size         int64
}

// endringslogg.xml: a deposit of a closed cycle records one change of
// each case, its closing at publication (saksstatus Under behandling →
// Avsluttet); the schema wants at least one change.
type endringslogg struct {
	XMLName        xml.Name `xml:"endringslogg"`
	XMLNS          string   `xml:"xmlns,attr"`
	XSI            string   `xml:"xmlns:xsi,attr"`
	SchemaLocation string   `xml:"xsi:schemaLocation,attr"`
	Endringer      []endring
}

type endring struct {
	XMLName             xml.Name `xml:"endring"`
	ReferanseArkivenhet string   `xml:"referanseArkivenhet"`
	ReferanseMetadata   string   `xml:"referanseMetadata"`
	EndretDato          dateTime `xml:"endretDato"`
	EndretAv            string   `xml:"endretAv"`
	TidligereVerdi      string   `xml:"tidligereVerdi"`
	NyVerdi             string   `xml:"nyVerdi"`
}

const nsEndringslogg = "http://www.arkivverket.no/standarder/noark5/endringslogg"

func (d Deposit) endringslogg(folders []folder) ([]byte, error) {
	l := endringslogg{XMLNS: nsEndringslogg, XSI: nsXSI, SchemaLocation: nsEndringslogg + " endringslogg.xsd"}
	for _, f := range folders {
		l.Endringer = append(l.Endringer, endring{ReferanseArkivenhet: d.id(f.key), ReferanseMetadata: "saksstatus",
			EndretDato: dateTime(f.closed), EndretAv: createdBy, TidligereVerdi: "Under behandling", NyVerdi: "Avsluttet"})
	}
	return marshal(l)
}

// arkivuttrekk.xml in ADDML 8.3: the deposit as one data object whose
// data objects are its files, each with its size and SHA-256 checksum.
type addml struct {
	XMLName        xml.Name `xml:"addml"`
	XMLNS          string   `xml:"xmlns,attr"`
	XSI            string   `xml:"xmlns:xsi,attr"`
	SchemaLocation string   `xml:"xsi:schemaLocation,attr"`
	Name           string   `xml:"name,attr"`
	Dataset        addmlDataset
}

type addmlDataset struct {
	XMLName     xml.Name         `xml:"dataset"`
	Name        string           `xml:"name,attr"`
	Description string           `xml:"description"`
	DataObjects addmlDataObjects `xml:"dataObjects"`
}

type addmlDataObjects struct {
	Objects []addmlDataObject `xml:"dataObject"`
}

type addmlDataObject struct {
	Name        string            `xml:"name,attr"`
	Description string            `xml:"description,omitempty"`
	Properties  *addmlProperties  `xml:"properties,omitempty"`
	DataObjects *addmlDataObjects `xml:"dataObjects,omitempty"`
}

type addmlProperties struct {
	Properties []addmlProperty `xml:"property"`
}

type addmlProperty struct {
	Name       string           `xml:"name,attr"`
	DataType   string           `xml:"dataType,attr,omitempty"`
	Value      string           `xml:"value,omitempty"`
	Properties *addmlProperties `xml:"properties,omitempty"`
}

const nsADDML = "http://www.arkivverket.no/standarder/addml"

func (d Deposit) addml(listed []listedFile, now time.Time) ([]byte, error) {
	var files []addmlDataObject
	for _, f := range listed {
		files = append(files, addmlDataObject{Name: f.name, Properties: &addmlProperties{Properties: []addmlProperty{{
			Name: "file", Properties: &addmlProperties{Properties: []addmlProperty{
				{Name: "name", DataType: "string", Value: f.name},
				{Name: "size", DataType: "integer", Value: fmt.Sprint(f.size)},
				{Name: "checksum", Properties: &addmlProperties{Properties: []addmlProperty{
					{Name: "algorithm", DataType: "string", Value: "SHA256"},
					{Name: "value", DataType: "string", Value: f.sha256},
				}}},
			}},
		}}}})
	}
	root := addmlDataObject{Name: "Noark 5 arkivuttrekk",
		Description: fmt.Sprintf("%s: %d saker, %d filer", d.Cycle.Title, len(d.Nominations)+1, len(listed)),
		Properties: &addmlProperties{Properties: []addmlProperty{
			{Name: "info", Properties: &addmlProperties{Properties: []addmlProperty{
				{Name: "producer", DataType: "string", Value: createdBy},
				{Name: "recordCreator", DataType: "string", Value: d.Cycle.Owner},
				{Name: "created", DataType: "dateTime", Value: now.In(oslo).Format(time.RFC3339)},
				{Name: "noarkVersion", DataType: "string", Value: "5.0"},
			}}},
		}},
		DataObjects: &addmlDataObjects{Objects: files}}
	a := addml{XMLNS: nsADDML, XSI: nsXSI, SchemaLocation: nsADDML + " addml.xsd", Name: "arkivuttrekk",
		Dataset: addmlDataset{Name: "Noark 5 arkivuttrekk", Description: "Arkivuttrekk av " + d.Cycle.Title,
			DataObjects: addmlDataObjects{Objects: []addmlDataObject{root}}}}
	return marshal(a)
}
