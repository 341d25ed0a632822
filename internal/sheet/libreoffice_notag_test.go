//go:build !libreoffice

package sheet

// libreOfficeTag: without -tags libreoffice the LibreOffice client tests
// run only under CI=true.
const libreOfficeTag = false
