#!/usr/bin/env bash
# Builds the ForecastKit documentation (Sources/ForecastKit/ForecastKit.docc) with the toolchain's
# docc, without swift-docc-plugin (not among the local packages): extract ForecastKit's symbol graph
# from the release build's modules, then convert. Output: .build/ForecastKit.doccarchive
# (`docc preview` or any static host serves it). Run by `make docs`.
set -euo pipefail
cd "$(dirname "$0")/.."
R=$(swift build -c release --show-bin-path)
GRAPHS=.build/symbol-graphs
rm -rf "$GRAPHS" && mkdir -p "$GRAPHS"
module_maps=$(find "$R" -maxdepth 2 -name module.modulemap | sed 's/^/-Xcc -fmodule-map-file=/')
includes=$(find .build/checkouts/swift-crypto -type d -name include | sed 's/^/-I /')
# shellcheck disable=SC2086
swift symbolgraph-extract -module-name ForecastKit -target "$(uname -m)-unknown-linux-gnu" \
    -I "$R/Modules" -I Sources/CLapack -I Sources/CShims/include -I .build/checkouts/GRDB.swift/Sources/GRDBSQLite \
    $includes $module_maps -minimum-access-level public -output-dir "$GRAPHS"
docc convert Sources/ForecastKit/ForecastKit.docc --additional-symbol-graph-dir "$GRAPHS" \
    --output-path .build/ForecastKit.doccarchive --fallback-display-name ForecastKit \
    --fallback-bundle-identifier forecast.ForecastKit --warnings-as-errors
echo "documentation in .build/ForecastKit.doccarchive"
