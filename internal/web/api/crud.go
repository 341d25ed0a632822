package api

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"vendorcompare/internal/web/edge"
)

// The record handlers of the JSON API share one shape per verb; these
// helpers hold it, so each resource says only which store call it makes.

// ReadOne answers GET /{things}/{id}: 200 with the record get returns.
func readOne[T any](c echo.Context, get func(ctx context.Context, id int64) (T, error)) error {
	id, err := edge.ID(c, "id")
	if err != nil {
		return err
	}
	rec, err := get(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, rec)
}

// ReplaceOne answers PUT /{things}/{id}: it binds and validates the body
// into req, takes the version the client read (the body's, or If-Match)
// from version, and saves: 200 with the saved record; a stale version is
// the store's 409.
func replaceOne[R, T any](c echo.Context, req *R, version func() int64, save func(ctx context.Context, actor string, id, version int64) (T, error)) error {
	id, err := edge.ID(c, "id")
	if err != nil {
		return err
	}
	if err := bind(c, req); err != nil {
		return err
	}
	v, err := versionOf(c, version())
	if err != nil {
		return err
	}
	rec, err := save(c.Request().Context(), edge.Actor(c), id, v)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, rec)
}

// RemoveOne answers DELETE /{things}/{id} at the version the client read
// (If-Match or ?version=): 204.
func removeOne(c echo.Context, del func(ctx context.Context, actor string, id, version int64) error) error {
	id, err := edge.ID(c, "id")
	if err != nil {
		return err
	}
	v, err := deleteVersion(c)
	if err != nil {
		return err
	}
	if err := del(c.Request().Context(), edge.Actor(c), id, v); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// ListUnder answers GET /{owners}/{id}/{things}: one page of what list
// returns for the owner, filtered by ?q= on the text name gives.
func listUnder[T any](c echo.Context, list func(ctx context.Context, owner int64) ([]T, error), name func(T) string) error {
	id, err := edge.ID(c, "id")
	if err != nil {
		return err
	}
	p, err := listQuery(c)
	if err != nil {
		return err
	}
	all, err := list(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, pageOf(c, all, p, name))
}

// AddUnder answers POST /{owners}/{id}/{things}: it binds and validates the
// body into req and saves under the owner: 201 with the record and its
// Location (/api/v1/{kind}/{id of the record}).
func addUnder[R, T any](c echo.Context, req *R, kind string, save func(ctx context.Context, actor string, owner int64) (T, int64, error)) error {
	owner, err := edge.ID(c, "id")
	if err != nil {
		return err
	}
	if err := bind(c, req); err != nil {
		return err
	}
	rec, id, err := save(c.Request().Context(), edge.Actor(c), owner)
	if err != nil {
		return err
	}
	return created(c, location(kind, id), rec)
}
