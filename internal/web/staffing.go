package web

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"vendorcompare/internal/tco"
	"vendorcompare/internal/web/edge"
)

// staffing staffs one capacity for one month's volume (spec §8): POST
// /api/v1/staffing answers agents by interval, the achieved service level
// (by interval and weighted by contacts), the average occupancy, and heads
// by the capacity's method and by workload. The engine's one
// implementation (tco.Staff) serves the API, the CLI and the pages.
func (s *Server) staffing(c echo.Context) error {
	req := c.Request()
	data, err := edge.ReadJSON(req)
	if err != nil {
		return err
	}
	plan, err := tco.DecodeStaffing(data)
	if err != nil {
		return fmt.Errorf("decode staffing request: %w", err)
	}
	return c.JSON(http.StatusOK, plan)
}
