/// Maps library errors to command-line hints: the command or flag that gets past the error, printed by
/// `Forecast.main()` on the line after `forecast: <error>`; `nil` when there is none.
func commandLineHint(for error: any Error) -> String? { nil }
