package web

import (
	"encoding/json"
	"net/http"
	"testing"
)

// TestAPIStaffing: POST /api/v1/staffing answers worked example E4 (the
// 20-interval profile at 20,000 contacts: 25 heads against 21 by
// workload), and a bad request gets 422 with every problem at its path.
func TestAPIStaffing(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	t.Run("OK", func(t *testing.T) {
		r := a.must(http.StatusOK, nil, "POST", "/api/v1/staffing", `{"units": 20000, "capacity": {
			"aht_minutes": 6, "occupancy": 0.85, "shrinkage": 0.3, "paid_hours": 168,
			"service_level": {"target": 0.8, "seconds": 20}, "open_hours": 260, "interval_minutes": 30,
			"profile": [1, 2, 3, 4, 4, 3, 3, 4, 4, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1]}}`)
		var plan struct {
			Method        string  `json:"method"`
			Heads         int     `json:"heads"`
			WorkloadHeads int     `json:"workload_heads"`
			People        float64 `json:"people"`
			AgentHours    float64 `json:"agent_hours"`
			ServiceLevel  float64 `json:"service_level"`
			Occupancy     float64 `json:"occupancy"`
			Intervals     []struct {
				Agents       int     `json:"agents"`
				ServiceLevel float64 `json:"service_level"`
			} `json:"intervals"`
		}
		if err := json.Unmarshal(r.body, &plan); err != nil {
			t.Fatal(err)
		}
		if plan.Method != "service_level" || plan.Heads != 25 || plan.WorkloadHeads != 21 || plan.AgentHours != 2899 || plan.People != 24.6514 {
			t.Errorf("plan %+v, want 25 heads (21 by workload), 2,899 agent hours, 24.6514 people", plan)
		}
		if len(plan.Intervals) != 20 || plan.Intervals[3].Agents != 19 {
			t.Errorf("intervals %+v, want 20 with 19 agents in the fourth", plan.Intervals)
		}
		for i, it := range plan.Intervals {
			if it.ServiceLevel < 0.8-1e-12 {
				t.Errorf("interval %d: service level %v below the target", i, it.ServiceLevel)
			}
		}
		if plan.ServiceLevel < 0.8 || plan.Occupancy <= 0 || plan.Occupancy > 0.85 {
			t.Errorf("achieved %v, occupancy %v", plan.ServiceLevel, plan.Occupancy)
		}
	})
	t.Run("ErrEveryProblem", func(t *testing.T) {
		r := a.call("POST", "/api/v1/staffing", `{"units": -1, "capacity": {"aht_minutes": 6, "occupancy": 0.85,
			"shrinkage": 0.3, "paid_hours": 168, "service_level": {"target": 1, "seconds": 20}, "interval_minutes": 20}}`)
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d %.300s", r.status, r.body)
		}
		f := errorOf(t, r).Fields
		for _, p := range []string{"units", "capacity.service_level.target", "capacity.open_hours", "capacity.interval_minutes"} {
			if f[p] == "" {
				t.Errorf("no problem at %s: %v", p, f)
			}
		}
	})
}
