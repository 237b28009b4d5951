@_exported import Features
@_exported import Ingestion
@_exported import LinearAlgebra
