package web

import "vendorcompare/internal/store"

// *store.Store is the Store the server is wired with.
var _ Store = (*store.Store)(nil)
