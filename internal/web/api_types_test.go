package web

import "vendorcompare/internal/web/api"

// The API's bodies by the names the HTTP tests of this package decode
// answers into.
type (
	listPage[T any] = api.ListPage[T]
	createdID       = api.CreatedID
)
