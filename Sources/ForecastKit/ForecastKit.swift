@_exported import Ingestion
@_exported import LinearAlgebra
