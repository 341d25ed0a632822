// Package sheet moves evaluations in and out of spreadsheets: the XLSX bid
// form a vendor fills in (BidForm), the import of a filled form or of a CSV
// bid (ParseBid, ParseBidForm, ParseBidCSV), and the finance export of a
// comparison as a workbook of live formulas or as CSV (ExportXLSX,
// ExportCSV). It is pure: bytes and engine values in, bytes and engine
// values out; no store, no HTTP.
//
// # The bid form
//
// BidForm writes an XLSX workbook with the sheets Instructions, Forecast,
// Service level, Pricing, Lines and Quality. Only the yellow answer cells are unlocked; every
// sheet and the workbook structure are protected (without a password: the
// protection stops accidents, and import checks the layout again rather than
// trusting it). A very hidden sheet "_form" holds a marker: the form version,
// the stored evaluation's id and creation time (Origin: a copy has its own),
// and the forecast it was priced against (ForecastOf: a hash of currency,
// start, horizon, unit and every month's demand), so that import can tell
// our form from any other workbook, and a form made for another evaluation
// or a forecast that has changed since (a *MismatchError unless confirmed).
//
// Service level (issue 15): the buyer's service level, open hours,
// interval and profile (tco.BuyerStaffing), locked, in rows 4 to 8 and the
// profile table from row 19; the vendor's per-FTE figures (aht_minutes,
// occupancy, shrinkage, paid_hours) are answers in C12 to C15, prefilled
// with the buyer's. A per-FTE bid (per block, no block size) is staffed to
// the evaluation's service level with them: the buyer's values govern, and
// a form priced against another service level than the evaluation's now is
// a *MismatchError unless confirmed (the marker keeps its hash, rows 10
// and 11). Without a service level the sheet says so and asks for nothing.
//
// Pricing: column B holds each field's key, column C the answer (rows 4 to
// 17: vendor_name, currency, fx_rate, per, unit_factor, block_size,
// tier_mode, fixed_monthly, minimum_units, minimum_charge, escalation,
// setup_fee, exit_fee, from_month), and rows 21 to 30 the price tiers: up_to
// in column B, price in column C. Lines: rows 4 to 23, columns A to I (name,
// category, basis, amount, month, from_month, to_month, escalation,
// block_size). Quality: one row per criterion from row 4, the score in
// column D.
//
// # The CSV bid layout
//
// A CSV bid is UTF-8 (a byte-order mark is allowed), comma or semicolon
// separated, one value per row, at most MaxCSVRows rows. Blank rows and rows whose first
// cell starts with '#' are ignored; a first row "section,key,value" is a
// header and is ignored too. The first cell of a row names its section:
//
//	section,key,value
//	pricing,vendor_name,Vendor A
//	pricing,currency,USD
//	pricing,fx_rate,1
//	pricing,per,unit
//	pricing,tier_mode,graduated
//	pricing,escalation,0.03
//	pricing,setup_fee,40000
//	tier,10000,5.00
//	tier,20000,4.50
//	tier,,4.00
//	line,Governance,personnel,share_of_vendor,0.05
//	line,Stranded lease,operations,fixed,5000,,2,12
//	score,csat,8
//
// The sections:
//
//   - pricing,KEY,VALUE: one field of the quote. KEY is one of vendor_name
//     (required: the option's name and, as a slug, its id), currency (ISO
//     4217, default the evaluation's), fx_rate (evaluation currency per unit
//     of quote currency, default 1), per (unit or block, default unit),
//     unit_factor (billed units per unit of demand, default 1), block_size
//     (units of demand per billed block; required when per is block),
//     tier_mode (graduated or all_units, default graduated), fixed_monthly,
//     minimum_units, minimum_charge, escalation (annual, 0.03 or 3%),
//     setup_fee, exit_fee (all default 0) and from_month (the go-live
//     month, 1 to the horizon, default 1). Each key at most once.
//   - capacity,KEY,VALUE: a per-FTE bid's figures, staffed to the
//     evaluation's service level as on the form's Service level sheet: KEY
//     is aht_minutes, occupancy, shrinkage or paid_hours, all four needed
//     when pricing per block without a block size. Each key at most once.
//   - tier,UP_TO,PRICE: one price tier, in order; UP_TO is in billed units per
//     month and is left empty on the last tier.
//   - line,NAME,CATEGORY,BASIS,AMOUNT[,MONTH[,FROM_MONTH[,TO_MONTH[,ESCALATION[,BLOCK_SIZE]]]]]:
//     a cost the buyer carries with this quote. CATEGORY is personnel,
//     technology, operations or external; BASIS is fixed, per_unit,
//     per_block, one_time or share_of_vendor; MONTH (0 to the horizon) is
//     for one_time lines, FROM_MONTH and TO_MONTH (1 to the horizon) limit a
//     recurring line to a window.
//   - score,KEY,SCORE: the score of one quality criterion, 0 to its scale.
//
// Values are separated by commas or, as Excel and LibreOffice save CSV in
// European locales, by semicolons: the first row with content tells which.
// With commas, numbers have a decimal point ("1234.50"), and thousands
// separators only inside quotes ("\"1,234.50\""); with semicolons the decimal
// mark is a comma ("1234,50", "1.234,50", "1 234,50"), and a decimal point
// alone is refused rather than guessed at. A trailing '%' divides by 100. A
// date where a month number belongs is reported with the month number it
// would be. Every value follows the rules of the evaluation document
// (shared/spec/evaluation.md, section 1).
//
// # Errors
//
// Import reports every problem at once as Errors, each Problem naming the
// cell it came from ("Pricing!C7: must be unit or block"; for CSV "row 7,
// column 3: …"). The engine's own validation runs on the evaluation with the
// bid added, and its JSON paths are mapped back to cells. Nothing is returned
// unless everything is valid.
//
// # Limits
//
// Uploads are at most MaxUpload bytes; an XLSX is opened with an unzip limit
// of MaxUnzip bytes (MaxUnzipXML per part in memory); a sheet or a CSV may have
// at most MaxSheetRows or MaxCSVRows rows. A file that is neither an XLSX
// workbook (a ZIP, "PK\x03\x04") nor UTF-8 text gets ErrNotSpreadsheet, which
// says what to do with an OpenDocument (.ods) file or an old .xls; a sheet
// of the bid form saved as CSV is told to upload the .xlsx instead.
package sheet
