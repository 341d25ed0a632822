package edge

import (
	"context"

	"github.com/shopspring/decimal"

	"vendorcompare/internal/store"
	"vendorcompare/internal/tco"
)

// Store is what the web layer (api and ui) needs from storage, implemented by
// *store.Store (internal/store) and wired in cmd/vendorcompare. Every
// method returns the store's domain errors (store.ErrNotFound, ErrConflict,
// ErrInvalid with field paths), which handleError maps to statuses. Pages
// add the methods they need here.
type Store interface {
	// Evaluations.
	ListEvaluations(ctx context.Context, p store.ListParams) (*store.EvaluationPage, error)
	GetEvaluation(ctx context.Context, id int64) (*store.Evaluation, error)
	CreateEvaluation(ctx context.Context, actor string, st store.Settings) (*store.Evaluation, error)
	UpdateEvaluation(ctx context.Context, actor string, id, version int64, st store.Settings) (*store.Evaluation, error)
	DeleteEvaluation(ctx context.Context, actor string, id, version int64) error
	// The risk block (spec §9): the workspace's risk section.
	Risk(ctx context.Context, id int64) (*tco.Risk, error)
	SaveRisk(ctx context.Context, actor string, id, version int64, r *tco.Risk) (*store.Evaluation, error)
	CopyEvaluation(ctx context.Context, actor string, id int64, name string) (*store.Evaluation, error)
	ImportDocument(ctx context.Context, actor string, doc *tco.Document) (int64, error)
	Document(ctx context.Context, evalID int64, rounds store.RoundSelection) (*tco.Document, error)

	// Options and their current quote.
	ListOptions(ctx context.Context, evalID int64) ([]store.Option, error)
	GetOption(ctx context.Context, id int64) (*store.Option, error)
	CreateOption(ctx context.Context, actor string, evalID int64, in store.OptionInput) (*store.Option, error)
	UpdateOption(ctx context.Context, actor string, id, version int64, in store.OptionInput) (*store.Option, error)
	DeleteOption(ctx context.Context, actor string, id, version int64) error

	// Cost lines of an option's current round.
	ListLines(ctx context.Context, optionID int64) ([]store.Line, error)
	GetLine(ctx context.Context, id int64) (*store.Line, error)
	CreateLine(ctx context.Context, actor string, optionID int64, line tco.Line) (*store.Line, error)
	UpdateLine(ctx context.Context, actor string, id, version int64, line tco.Line) (*store.Line, error)
	DeleteLine(ctx context.Context, actor string, id, version int64) error

	// Quality criteria and scores.
	ListCriteria(ctx context.Context, evalID int64) ([]store.Criterion, error)
	GetCriterion(ctx context.Context, id int64) (*store.Criterion, error)
	CreateCriterion(ctx context.Context, actor string, evalID int64, in tco.Criterion) (*store.Criterion, error)
	UpdateCriterion(ctx context.Context, actor string, id, version int64, in tco.Criterion) (*store.Criterion, error)
	DeleteCriterion(ctx context.Context, actor string, id, version int64) error
	ListScores(ctx context.Context, evalID int64) ([]store.Score, error)
	GetScore(ctx context.Context, id int64) (*store.Score, error)
	CreateScore(ctx context.Context, actor string, optionID int64, key string, value decimal.Decimal) (*store.Score, error)
	UpdateScore(ctx context.Context, actor string, id, version int64, value decimal.Decimal) (*store.Score, error)
	DeleteScore(ctx context.Context, actor string, id, version int64) error
	SaveScores(ctx context.Context, actor string, evalID int64, changes []store.ScoreChange) error
	// Vendors' own scores from their bids, and procurement's confirmation
	// or override of each.
	ListSelfScores(ctx context.Context, evalID int64) ([]store.SelfScore, error)
	ResolveSelfScore(ctx context.Context, actor string, id, version int64, value *decimal.Decimal) (*store.SelfScore, error)

	// The vendor directory.
	ListVendors(ctx context.Context, p store.ListParams) (*store.Page[store.Vendor], error)
	GetVendor(ctx context.Context, id int64) (*store.Vendor, error)
	CreateVendor(ctx context.Context, actor string, in store.VendorInput) (*store.Vendor, error)
	UpdateVendor(ctx context.Context, actor string, id, version int64, in store.VendorInput) (*store.Vendor, error)
	DeleteVendor(ctx context.Context, actor string, id, version int64) error

	// Quote rounds.
	ListRounds(ctx context.Context, optionID int64) ([]store.Round, error)
	GetRound(ctx context.Context, id int64) (*store.Round, error)
	CreateRound(ctx context.Context, actor string, optionID int64, in store.RoundInput) (*store.Round, error)
	UpdateRound(ctx context.Context, actor string, id, version int64, in store.RoundInput) (*store.Round, error)
	DeleteRound(ctx context.Context, actor string, id, version int64) error

	// The audit log.
	Audit(ctx context.Context, f store.AuditFilter) (*store.Page[store.AuditEntry], error)
	AuditActors(ctx context.Context, evalID int64, hideAccounts bool) ([]string, error)

	// Decisions on an evaluation (award, reject, defer), each audited.
	RecordDecision(ctx context.Context, actor string, evalID int64, in store.DecisionInput) (*store.Decision, error)
	ListDecisions(ctx context.Context, evalID int64) ([]store.Decision, error)
	GetDecision(ctx context.Context, id int64) (*store.Decision, error)
	LatestDecisions(ctx context.Context, evalIDs []int64) (map[int64]store.Decision, error)
	LatestDecision(ctx context.Context, evalID int64) (*store.Decision, error)
}
