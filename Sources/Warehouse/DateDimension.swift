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
            let d = CivilDate(dayNumber: day)
            let weekday = CivilDate.weekday(dayNumber: day)
            let week = isoWeek(dayNumber: day)
            try statement.execute(arguments: [
                dateKey(dayNumber: day), d.description, d.year, (d.month - 1) / 3 + 1, d.month, d.day, weekday,
                weekday >= 6 ? 1 : 0, week.year, week.week, CivilDate(dayNumber: day - weekday + 1).description,
                d.firstOfMonth().description,
            ])
            inserted += db.changesCount
        }
        return inserted
    }

    /// ISO 8601 week-numbering year and week (1...53): the week belongs to the year of its Thursday.
    public static func isoWeek(dayNumber day: Int) -> (year: Int, week: Int) {
        let thursday = day - CivilDate.weekday(dayNumber: day) + 4
        let year = CivilDate(dayNumber: thursday).year
        let firstOfYear = CivilDate.dayNumber(year: year, month: 1, day: 1)
        return (year, (thursday - firstOfYear) / 7 + 1)
    }
}
