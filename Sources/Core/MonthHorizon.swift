/// The forecast horizon: how many days "next month" is, from a cutoff day.
///
/// Day numbers count days since 1970-01-01. Every caller that forecasts "the next month"
/// (training, the backtest, the blend's weighting months, evaluation, prediction, serving)
/// takes its horizon from here, so they cannot disagree.
public enum MonthHorizon {
    /// Days from `day` to the first day of the next calendar month: the scored month's length
    /// when `day` is a month start.
    public static func daysToNextMonthStart(from day: Int) -> Int {
        CivilDate(dayNumber: day).firstOfMonth(adding: 1).dayNumber - day
    }

    /// The month a forecast from `cutoff` over `horizonDays` is about: the one holding the
    /// middle of the horizon (the cutoff's own month when the cutoff is a month start).
    public static func targetMonth(cutoff: Int, horizonDays: Int) -> CivilDate {
        CivilDate(dayNumber: cutoff + max(0, horizonDays - 1) / 2).firstOfMonth()
    }

    /// Days from `cutoff` to the same day of the next month (a whole calendar month when the
    /// cutoff is a month start; the next month's last day when it is shorter): the horizon of
    /// `predict`, `evaluate` and the serving API.
    public static func days(from cutoff: Int) -> Int {
        let c = CivilDate(dayNumber: cutoff)
        if c.day == 1 { return daysToNextMonthStart(from: cutoff) }
        let next = c.firstOfMonth(adding: 1)
        let daysInNext = next.firstOfMonth(adding: 1).dayNumber - next.dayNumber
        return next.dayNumber + min(c.day, daysInNext) - 1 - cutoff
    }
}
