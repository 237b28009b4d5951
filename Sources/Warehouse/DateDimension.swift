import Core
import GRDB

/// The date spine: one `dim_date` row per day, so that days without activity exist and every
/// grain (ISO week, month, quarter, year) is a column rather than a computation in a query.
public enum DateDimension {
    /// Inserts the days of `range` (day numbers) that are not there yet; returns how many.
    static func extend(_ db: Database, to range: ClosedRange<Int>) throws -> Int {
        let statement = try db.makeStatement(sql: """
            INSERT OR IGNORE INTO dim_date(date_key, date, year, quarter, month, day, day_of_week, is_weekend,
                iso_year, iso_week, week_start, month_start) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        var inserted = 0
        for day in range {
            let r = Day(dayNumber: day)
            try statement.execute(arguments: [
                r.dateKey, r.date, r.year, r.quarter, r.month, r.day, r.dayOfWeek, r.isWeekend ? 1 : 0, r.isoYear, r.isoWeek,
                r.weekStart, r.monthStart,
            ])
            inserted += db.changesCount
        }
        return inserted
    }

    /// One `dim_date` row, the same in every backend.
    public struct Day: Sendable {
        public var dateKey: Int, date: String, year: Int, quarter: Int, month: Int, day: Int
        /// 1 = Monday ... 7 = Sunday.
        public var dayOfWeek: Int
        public var isWeekend: Bool
        public var isoYear: Int, isoWeek: Int
        /// `YYYY-MM-DD` of the week's Monday and of the month's first day.
        public var weekStart: String, monthStart: String

        public init(dayNumber: Int) {
            let d = CivilDate(dayNumber: dayNumber)
            let weekday = CivilDate.weekday(dayNumber: dayNumber)
            let week = DateDimension.isoWeek(dayNumber: dayNumber)
            dateKey = Warehouse.dateKey(dayNumber: dayNumber)
            date = d.description
            year = d.year; quarter = (d.month - 1) / 3 + 1; month = d.month; day = d.day
            dayOfWeek = weekday; isWeekend = weekday >= 6
            isoYear = week.year; isoWeek = week.week
            weekStart = CivilDate(dayNumber: dayNumber - weekday + 1).description
            monthStart = d.firstOfMonth().description
        }
    }

    /// The first and last day (day numbers) of `keys`' range (`YYYYMMDD` date keys), widened to
    /// whole months: the spine a load extends `dim_date` to.
    public static func monthsCovering(minKey lo: Int, maxKey hi: Int) -> ClosedRange<Int> {
        func day(_ key: Int) -> CivilDate { CivilDate(year: key / 10_000, month: key / 100 % 100, day: key % 100) }
        let first = day(lo).firstOfMonth().dayNumber
        let last = day(hi).firstOfMonth(adding: 1).dayNumber - 1
        return first...max(first, last)
    }

    /// ISO 8601 week-numbering year and week (1...53): the week belongs to the year of its Thursday.
    public static func isoWeek(dayNumber day: Int) -> (year: Int, week: Int) {
        let thursday = day - CivilDate.weekday(dayNumber: day) + 4
        let year = CivilDate(dayNumber: thursday).year
        let firstOfYear = CivilDate.dayNumber(year: year, month: 1, day: 1)
        return (year, (thursday - firstOfYear) / 7 + 1)
    }
}
