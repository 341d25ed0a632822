package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"vendorcompare/internal/tco"
)

// Staffing staffs one capacity for one month's volume (spec §8): POST
// /api/v1/staffing answers agents by interval, the achieved service level
// (by interval and weighted by contacts), the average occupancy, and heads
// by the capacity's method and by workload. The engine's one
// implementation (tco.Staff, reached through bind) serves the API, the CLI
// and the pages.
func (h *Handlers) Staffing(c echo.Context) error {
	var plan tco.StaffingPlan
	if err := bind(c, &plan); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, &plan)
}
