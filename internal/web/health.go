package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// health answers the liveness probe. It checks nothing else: the compare
// API needs no database.
func (s *Server) health(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}
