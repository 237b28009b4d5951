// The forecasting SDK: what a service needs to load saved models and forecast, and nothing
// else (no SQLite, no charts, no backtests). The warehouse, analytics, attribution and report
// modules are separate libraries that the `forecast` command imports itself.
@_exported import Core
@_exported import Features
@_exported import Ingestion
@_exported import Models
@_exported import ModelStore
