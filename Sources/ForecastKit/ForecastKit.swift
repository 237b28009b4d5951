@_exported import Backtest
@_exported import Features
@_exported import Models
@_exported import Ingestion
@_exported import LinearAlgebra
@_exported import ModelStore
@_exported import Plots
@_exported import Reports
