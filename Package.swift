// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "CustomerForecasting",
    products: [
        .library(name: "ForecastKit", targets: ["ForecastKit"]),
        .executable(name: "forecast", targets: ["forecast"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // SHA-256 for model checksums and data fingerprints.
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        // SQLite for the warehouse (Debian's libsqlite3-dev).
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        // HTTP server: `forecast serve`, and the attribution tests' stand-in for the IHC API.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // Signal handling for graceful shutdown (already under Hummingbird).
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.0.0"),
        // `forecast serve`'s metrics: swift-metrics' API, exposed by the Prometheus backend.
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // NIO's IOError, to tell a taken port by its errno (already under Hummingbird).
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        // PostgreSQL as the shared warehouse (`--db postgresql://...`): the client, its COPY and its TLS.
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        // The dependency-free core every module may use: civil dates, the month horizon, parallel map and thread
        // count, the phase clock, the seeded random source, the byte writer, CSV/JSON quoting.
        .target(name: "Core"),
        // Debian's OpenBLAS (BLAS + LAPACK in one library); Fortran entry points declared by hand.
        .systemLibrary(
            name: "CLapack",
            path: "Sources/CLapack",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev", "liblapack-dev"])]
        ),
        .target(name: "LinearAlgebra", dependencies: ["Core", "CLapack"]),
        // C helpers with no Swift equivalent (a prefetch hint for the id interner).
        .target(name: "CShims"),
        .target(name: "Ingestion", dependencies: ["Core", "CShims"]),
        // zlib's deflate for Parquet's GZIP pages (Debian's zlib1g-dev).
        .target(name: "CZlib", linkerSettings: [.linkedLibrary("z")]),
        // A Parquet writer written from the Apache Parquet specification (no Swift library exists): flat schemas,
        // PLAIN and dictionary encodings, definition levels, statistics, GZIP; the footer in Thrift's compact protocol.
        .target(name: "Parquet", dependencies: ["Core", "CZlib"]),
        // The built-in synthetic shop (the toolkit's default data).
        .target(name: "SyntheticShop", dependencies: ["Core"]),
        .target(name: "Features", dependencies: ["Core", "Ingestion"]),
        .target(name: "Models", dependencies: ["Core", "CShims", "Features", "LinearAlgebra"]),
        .target(name: "Backtest", dependencies: ["Core", "Ingestion", "Models", "Features"]),
        // Saved models: models/<name>/<version>/model.json with a SHA-256 checksum.
        .target(name: "ModelStore", dependencies: ["Core", "Models", "Features", .product(name: "Crypto", package: "swift-crypto")]),
        // SVG charts (scales, ticks, axes, legends, marks); knows nothing of models or files.
        .target(name: "Plots", dependencies: ["Core"]),
        // The customer-dynamics analyses, their charts, the report index and the notebook.
        .target(name: "Reports", dependencies: ["Core", "Plots", "Ingestion", "Features", "Models", "Backtest"]),
        // The SQLite handle (SQLiteDatabase) and the shop warehouse on it: staging tables and a star schema,
        // idempotent loads, checks.
        .target(name: "Warehouse", dependencies: ["Core", "Ingestion", .product(name: "GRDB", package: "GRDB.swift"),
                                                  .product(name: "GRDBSQLite", package: "GRDB.swift"), .product(name: "Crypto", package: "swift-crypto")]),
        // Marts built in the warehouse: daily customer summary, sales roll-ups, the marketing audience.
        // Models for k-means (with the other numerics); it brings Features and LinearAlgebra (OpenBLAS) along.
        .target(name: "Analytics", dependencies: ["Core", "Warehouse", "Ingestion", "Plots", "Models", "Parquet", .product(name: "GRDB", package: "GRDB.swift"),
                                                  .product(name: "GRDBSQLite", package: "GRDB.swift")]),
        // The warehouse and its marts in PostgreSQL: the same schema, loads (COPY + set-based upserts), checks and
        // marts as the SQLite warehouse, and the roles that keep personal data from the sales team.
        .target(name: "PostgresWarehouse", dependencies: ["Core", "Ingestion", "Warehouse", "Analytics",
                                                          .product(name: "PostgresNIO", package: "postgres-nio"),
                                                          .product(name: "NIOSSL", package: "swift-nio-ssl"),
                                                          .product(name: "Logging", package: "swift-log"),
                                                          .product(name: "GRDB", package: "GRDB.swift")]),
        // Marketing attribution: journeys, in-process engines and the attribution-API client, channel reporting.
        // The database schema is Schema/attribution_db_create.sql, compiled in.
        .target(name: "Attribution", dependencies: ["Core", "Warehouse", "Plots", .product(name: "GRDB", package: "GRDB.swift")],
                resources: [.embedInCode("Schema/attribution_db_create.sql")]),
        // The forecasting SDK other services import: forecasting modules only (no SQLite, no charts).
        .target(name: "ForecastKit", dependencies: ["Core", "Ingestion", "Features", "Models", "ModelStore"]),
        // `forecast serve`: the HTTP API over a model store (Hummingbird), hot reload, metrics, JSON logs.
        .target(name: "ForecastServer", dependencies: ["ForecastKit", .product(name: "Hummingbird", package: "hummingbird"),
                                                       .product(name: "Logging", package: "swift-log"),
                                                       .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                                                       .product(name: "NIOCore", package: "swift-nio"),
                                                       .product(name: "Metrics", package: "swift-metrics"),
                                                       .product(name: "Prometheus", package: "swift-prometheus")]),
        // The runnable example of the getting-started article: load a model, forecast a customer's history.
        .executableTarget(name: "forecastkit-example", dependencies: ["ForecastKit"], path: "Sources/ForecastKitExample"),
        .executableTarget(
            name: "forecast",
            dependencies: [
                "ForecastKit",
                "ForecastServer",
                // The modules the CLI uses besides the forecasting SDK, imported by name.
                "SyntheticShop", "Warehouse", "Analytics", "PostgresWarehouse", "Attribution", "Reports", "Plots", "Backtest", "Parquet",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Shared test helpers (paths of the public data sets); not part of the products.
        .target(name: "TestSupport", dependencies: ["Core", "Ingestion"], path: "Tests/TestSupport"),
        // A local HTTP server that answers like the IHC attribution API and enforces its limits (tests only).
        .target(name: "IHCTestServer", dependencies: ["Attribution", .product(name: "Hummingbird", package: "hummingbird"),
                                                      .product(name: "Logging", package: "swift-log")],
                path: "Tests/IHCTestServer"),
        .testTarget(name: "CoreTests", dependencies: ["Core"]),
        .testTarget(name: "ParquetTests", dependencies: ["Parquet", "Core", "TestSupport"]),
        .testTarget(name: "SyntheticShopTests", dependencies: ["SyntheticShop", "Ingestion", "Core", "TestSupport"]),
        .testTarget(name: "PlotsTests", dependencies: ["Plots", "Core", "TestSupport"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "Plots", "Core", "SyntheticShop", "Ingestion", "Features", "Models", "Backtest", "TestSupport"]),
        .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra", "Core"]),
        .testTarget(name: "IngestionTests", dependencies: ["Ingestion", "Core", "TestSupport"]),
        .testTarget(name: "FeaturesTests", dependencies: ["Features", "Core", "Ingestion", "TestSupport", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "ModelsTests", dependencies: ["Models", "Features", "Core", "Ingestion", "LinearAlgebra", "TestSupport",
                                                       .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "BacktestTests", dependencies: ["Backtest", "Models", "Features", "Core", "Ingestion", "TestSupport"]),
        .testTarget(name: "ModelStoreTests", dependencies: ["ModelStore", "Models", "Features", "Core", "SyntheticShop", "Ingestion", "TestSupport"]),
        .testTarget(name: "WarehouseTests", dependencies: ["Warehouse", "Core", "SyntheticShop", "Ingestion", "TestSupport", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "AnalyticsTests", dependencies: ["Analytics", "Warehouse", "Core", "SyntheticShop", "Ingestion", "Plots", "TestSupport", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "PostgresWarehouseTests", dependencies: ["PostgresWarehouse", "Analytics", "Warehouse", "Core", "SyntheticShop", "Ingestion", "TestSupport",
                                                                  .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "AttributionTests", dependencies: ["Attribution", "Warehouse", "Core", "TestSupport", "IHCTestServer", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "ServingTests", dependencies: ["ForecastKit", "ForecastServer", "SyntheticShop", "TestSupport", .product(name: "Logging", package: "swift-log"),
                                                        .product(name: "HummingbirdTesting", package: "hummingbird")]),
        .testTarget(name: "ForecastCLITests", dependencies: ["Ingestion", "forecast", "TestSupport", "IHCTestServer"]),
    ]
)
