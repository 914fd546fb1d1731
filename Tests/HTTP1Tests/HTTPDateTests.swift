import Testing
@testable import HTTP1

@Suite struct HTTPDateTests {
    @Test(arguments: [
        (0, "Thu, 01 Jan 1970 00:00:00 GMT"),
        (784_111_777, "Sun, 06 Nov 1994 08:49:37 GMT"), // RFC 9110 §5.6.7 example
        (951_782_400, "Tue, 29 Feb 2000 00:00:00 GMT"), // leap day of a 400-year leap year
        (1_709_164_800, "Thu, 29 Feb 2024 00:00:00 GMT"),
        (1_000_000_000, "Sun, 09 Sep 2001 01:46:40 GMT"),
        (4_102_444_800, "Fri, 01 Jan 2100 00:00:00 GMT"), // 2100 is not a leap year
        (253_402_300_799, "Fri, 31 Dec 9999 23:59:59 GMT"),
        (-1, "Wed, 31 Dec 1969 23:59:59 GMT"),
        (-2_208_988_800, "Mon, 01 Jan 1900 00:00:00 GMT"),
        (-62_135_596_800, "Mon, 01 Jan 0001 00:00:00 GMT"),
    ])
    func knownValues(_ seconds: Int, _ expected: String) {
        #expect(HTTPDate.format(unixSeconds: seconds) == expected)
    }

    /// The era arithmetic against a plain day-by-day walk of the calendar, 1900...2200.
    @Test func civilDatesMatchADayByDayWalk() {
        var (y, m, d) = (1900, 1, 1)
        let start = -25_567 // days from 1970-01-01 back to 1900-01-01
        func daysIn(_ y: Int, _ m: Int) -> Int {
            switch m {
            case 2: (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28
            case 4, 6, 9, 11: 30
            default: 31
            }
        }
        var mismatches = 0
        for day in start..<(start + 110_000) {
            let c = HTTPDate.civil(fromDays: day)
            if c.year != y || c.month != m || c.day != d { mismatches += 1 }
            d += 1
            if d > daysIn(y, m) { d = 1; m += 1 }
            if m > 12 { m = 1; y += 1 }
        }
        #expect(mismatches == 0)
    }
}
