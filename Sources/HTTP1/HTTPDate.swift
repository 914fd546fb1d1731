/// IMF-fixdate (RFC 9110 §5.6.7), e.g. `Sun, 06 Nov 1994 08:49:37 GMT`, computed with
/// integer calendar arithmetic (proleptic Gregorian, UTC) so no date formatter or
/// locale is involved.
public enum HTTPDate {
    private static let dayNames = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"] // from 1970-01-01
    private static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    public static func format(unixSeconds: Int) -> String {
        let days = floorDiv(unixSeconds, 86_400)
        let secondOfDay = unixSeconds - days * 86_400
        let (year, month, day) = civil(fromDays: days)
        var s = ""
        s.reserveCapacity(29)
        s += dayNames[floorMod(days, 7)]
        s += ", "
        s += twoDigits(day)
        s += " "
        s += monthNames[month - 1]
        s += " "
        s += year >= 0 && year < 10_000 ? String(repeating: "0", count: 4 - digitCount(year)) + String(year) : String(year)
        s += " "
        s += twoDigits(secondOfDay / 3600)
        s += ":"
        s += twoDigits(secondOfDay / 60 % 60)
        s += ":"
        s += twoDigits(secondOfDay % 60)
        s += " GMT"
        return s
    }

    /// Days since 1970-01-01 to (year, month 1...12, day 1...31): the era-based
    /// algorithm for the proleptic Gregorian calendar (400-year eras of 146,097 days,
    /// years counted from March so the leap day falls last).
    static func civil(fromDays z0: Int) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719_468
        let era = floorDiv(z, 146_097)
        let doe = z - era * 146_097                                   // [0, 146096]
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365 // [0, 399]
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)             // [0, 365]
        let mp = (5 * doy + 2) / 153                                  // [0, 11], March = 0
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    private static func floorDiv(_ a: Int, _ b: Int) -> Int {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    private static func floorMod(_ a: Int, _ b: Int) -> Int {
        a - floorDiv(a, b) * b
    }

    private static func twoDigits(_ n: Int) -> String {
        n < 10 ? "0" + String(n) : String(n)
    }

    private static func digitCount(_ n: Int) -> Int {
        n < 10 ? 1 : n < 100 ? 2 : n < 1000 ? 3 : 4
    }
}
