package sheet_test

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"vendorcompare/internal/sheet"
	"vendorcompare/internal/tco"
)

// A CSV bid with mistakes: every problem comes back at once, each with its
// row and column, and no option.
func ExampleParseBidCSV() {
	data, _ := os.ReadFile("../tco/testdata/e2.json")
	d, _ := tco.Decode(data)
	bid := `section,key,value
pricing,vendor_name,Vendor B
pricing,per,seat
tier,20000,5.00
tier,10000,4.50
tier,,4.00
score,csat,11
`
	o, err := sheet.ParseBidCSV(strings.NewReader(bid), d)
	var problems sheet.Errors
	if errors.As(err, &problems) {
		for _, p := range problems {
			fmt.Println(p)
		}
	}
	fmt.Println(o == nil)
	// Output:
	// row 3, column 3: must be unit or block (found "seat")
	// row 5, column 2: must be greater than the previous tier's bound (20000) (found "10000")
	// row 7, column 3: must be at most the criterion's scale (10) (found "11")
	// true
}

// The file names of downloads are safe in a Content-Disposition header.
func ExampleSafeFilename() {
	fmt.Println(sheet.SafeFilename("Tier-1 customer service 2027 (bid form).xlsx"))
	// Output: Tier-1_customer_service_2027_bid_form.xlsx
}
