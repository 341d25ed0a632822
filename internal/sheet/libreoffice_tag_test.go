//go:build libreoffice

package sheet

// libreOfficeTag: built with -tags libreoffice, the LibreOffice client
// tests run outside CI too.
const libreOfficeTag = true
