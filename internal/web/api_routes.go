package web

import (
	"github.com/labstack/echo/v4"
)

// noStore marks a response as not to be stored by any cache.
func noStore(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
		return next(c)
	}
}

// fieldError is a 422 naming one field of the request.
func fieldError(path, msg string) error { return problem(path, msg) }
